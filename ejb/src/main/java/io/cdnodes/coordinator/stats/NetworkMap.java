package io.cdnodes.coordinator.stats;

import io.cdnodes.connector.api.ConnectionInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Who talks to whom: each coordinator listen address maps to the workers connected through it, and each
 * worker's address maps to the coordinator address it is connected to and to the workers backing it up (a
 * backup holds the packages of the worker's running tasks, ready to take over).
 */
public final class NetworkMap {

    private NetworkMap() {
    }

    public static Map<String, List<String>> of(List<String> listenAddresses, List<ConnectionInfo> connections) {
        return of(listenAddresses, connections, List.of());
    }

    /** With backup relations, as pairs of connection ids (primary, backup). */
    public static Map<String, List<String>> of(List<String> listenAddresses, List<ConnectionInfo> connections,
                                               List<Map.Entry<String, String>> backups) {
        Map<String, TreeSet<String>> edges = new LinkedHashMap<>();
        for (String listen : listenAddresses) {
            edges.put(listen, new TreeSet<>());
        }
        for (ConnectionInfo c : connections) {
            edges.computeIfAbsent(c.localAddress(), k -> new TreeSet<>()).add(c.remoteAddress());
            edges.computeIfAbsent(c.remoteAddress(), k -> new TreeSet<>()).add(c.localAddress());
        }
        Map<String, String> addressOf = new java.util.HashMap<>();
        connections.forEach(c -> addressOf.put(c.connectionId(), c.remoteAddress()));
        for (Map.Entry<String, String> b : backups) {
            String primary = addressOf.get(b.getKey());
            String backup = addressOf.get(b.getValue());
            if (primary != null && backup != null && !primary.equals(backup)) {
                edges.get(primary).add(backup);
            }
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        edges.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
        return out;
    }
}
