package io.cdnodes.coordinator.scheduling;

import java.util.List;

/**
 * Node ids a worker reports collecting for a COLLECT task (one COLLECTED frame): in collection order, each with the
 * scope of the fixture it shares with others ({@code ""} when none; an empty list when the worker reports none).
 */
public record CollectionReport(long taskId, int attempt, List<String> nodeIds, List<String> scopes) {
    public CollectionReport {
        nodeIds = List.copyOf(nodeIds);
        scopes = List.copyOf(scopes);
    }

    public CollectionReport(long taskId, int attempt, List<String> nodeIds) {
        this(taskId, attempt, nodeIds, List.of());
    }

    /** The shared scope of the i-th node id, {@code ""} when it shares none. */
    public String scopeOf(int i) {
        return scopes.isEmpty() ? "" : scopes.get(i);
    }
}
