package io.cdnodes.protocol.frame;

import java.util.List;

/**
 * Node ids found by a {@link AssignmentKind#COLLECT} assignment, in collection order. A large suite is
 * reported in several frames; their concatenation is the collection.
 *
 * @param assignmentId the assignment
 * @param attempt      its attempt
 * @param nodeIds      the next node ids in collection order
 */
public record Collected(long assignmentId, int attempt, List<String> nodeIds) implements Frame {

    public Collected {
        Checks.u32(attempt, "attempt");
        nodeIds = List.copyOf(nodeIds);
    }

    @Override
    public FrameType type() {
        return FrameType.COLLECTED;
    }
}
