package io.cdnodes.coordinator.scheduling;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a running COLLECT task has reported so far: node ids in collection order and, for those that share a
 * fixture wider than themselves, the scope they share. Only the connection the collection was handed to, for the
 * attempt it was handed, may add to it: any other worker could otherwise put test ids of its choosing into another
 * project's evaluation. Not thread-safe (owned by {@link InFlight}).
 */
final class CollectedNodes {

    private final String connectionId;
    private final int attempt;
    private final long evaluationId;
    private final List<String> ids = new ArrayList<>();
    private final Map<String, String> scopes = new HashMap<>();

    /**
     * @param connectionId the connection the COLLECT was handed to
     * @param attempt      the attempt it was handed
     * @param evaluationId the evaluation it belongs to, for the log
     */
    CollectedNodes(String connectionId, int attempt, long evaluationId) {
        this.connectionId = Objects.requireNonNull(connectionId, "connectionId");
        this.attempt = attempt;
        this.evaluationId = evaluationId;
    }

    /**
     * Adds the node ids of a COLLECTED report that came from {@code fromConnection}.
     *
     * @return false, adding nothing, when the frame is not from the connection and attempt that hold the collection
     */
    boolean add(String fromConnection, CollectionReport c) {
        if (!connectionId.equals(fromConnection) || c.attempt() != attempt) {
            return false;
        }
        for (int i = 0; i < c.nodeIds().size(); i++) {
            String id = c.nodeIds().get(i);
            ids.add(id);
            String scope = c.scopeOf(i);
            if (!scope.isEmpty()) {
                scopes.put(id, scope);
            }
        }
        return true;
    }

    List<String> ids() {
        return ids;
    }

    /** The shared scope of each node that has one. */
    Map<String, String> scopes() {
        return scopes;
    }

    long evaluationId() {
        return evaluationId;
    }

    /** An empty collection: a COLLECT that reported nothing, or whose report was lost with a restart. */
    static CollectedNodes none() {
        return new CollectedNodes("", 0, 0);
    }
}
