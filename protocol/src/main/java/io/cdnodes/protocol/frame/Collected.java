package io.cdnodes.protocol.frame;

import java.util.List;

/**
 * Node ids found by a {@link AssignmentKind#COLLECT} assignment, in collection order. A large suite is
 * reported in several frames; their concatenation is the collection.
 *
 * @param assignmentId the assignment
 * @param attempt      its attempt
 * @param nodeIds      the next node ids in collection order
 * @param scopes       empty, or one entry per node id: the key of the class, module or package whose fixtures
 *                     the node shares with other nodes (they must run in one pytest process, in collection
 *                     order, for their outcomes to be pytest's), or the empty string when it shares none
 */
public record Collected(long assignmentId, int attempt, List<String> nodeIds, List<String> scopes)
        implements Frame {

    public Collected {
        Checks.u32(attempt, "attempt");
        nodeIds = List.copyOf(nodeIds);
        scopes = List.copyOf(scopes);
        if (!scopes.isEmpty() && scopes.size() != nodeIds.size()) {
            throw new IllegalArgumentException("scopes: " + scopes.size() + " for " + nodeIds.size() + " node ids");
        }
    }

    /** Node ids without scopes: every node may run apart from the others. */
    public Collected(long assignmentId, int attempt, List<String> nodeIds) {
        this(assignmentId, attempt, nodeIds, List.of());
    }

    /** The scope of the {@code i}-th node id, empty when it has none. */
    public String scopeOf(int i) {
        return scopes.isEmpty() ? "" : scopes.get(i);
    }

    @Override
    public FrameType type() {
        return FrameType.COLLECTED;
    }
}
