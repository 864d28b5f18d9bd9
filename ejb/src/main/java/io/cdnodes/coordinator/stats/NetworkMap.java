package io.cdnodes.coordinator.stats;

import io.cdnodes.connector.api.ConnectionInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Who talks to whom: each coordinator listen address maps to the workers connected through it, and each
 * worker's address maps to the coordinator address it is connected to.
 */
public final class NetworkMap {

    private NetworkMap() {
    }

    public static Map<String, List<String>> of(List<String> listenAddresses, List<ConnectionInfo> connections) {
        Map<String, TreeSet<String>> edges = new LinkedHashMap<>();
        for (String listen : listenAddresses) {
            edges.put(listen, new TreeSet<>());
        }
        for (ConnectionInfo c : connections) {
            edges.computeIfAbsent(c.localAddress(), k -> new TreeSet<>()).add(c.remoteAddress());
            edges.computeIfAbsent(c.remoteAddress(), k -> new TreeSet<>()).add(c.localAddress());
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        edges.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
        return out;
    }
}
