package io.cdnodes.coordinator.scheduling;

import io.cdnodes.protocol.frame.Collected;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a running COLLECT task has reported so far: node ids in collection order and, for those that share a
 * fixture wider than themselves, the scope they share. Not thread-safe (owned by {@link DispatchState}).
 */
final class CollectedNodes {

    private final List<String> ids = new ArrayList<>();
    private final Map<String, String> scopes = new HashMap<>();

    void add(Collected c) {
        for (int i = 0; i < c.nodeIds().size(); i++) {
            String id = c.nodeIds().get(i);
            ids.add(id);
            String scope = c.scopeOf(i);
            if (!scope.isEmpty()) {
                scopes.put(id, scope);
            }
        }
    }

    List<String> ids() {
        return ids;
    }

    /** The shared scope of each node that has one. */
    Map<String, String> scopes() {
        return scopes;
    }

    static CollectedNodes none() {
        return new CollectedNodes();
    }
}
