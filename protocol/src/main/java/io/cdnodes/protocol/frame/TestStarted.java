package io.cdnodes.protocol.frame;

import java.util.Objects;

/**
 * A pytest node of an assignment has started (its setup is about to run). The coordinator uses it to know
 * which test was running when a worker died, and to show running tests.
 *
 * @param assignmentId the assignment
 * @param attempt      its attempt
 * @param nodeId       the node id, as in TEST_RESULT
 */
public record TestStarted(long assignmentId, int attempt, String nodeId) implements Frame {

    public TestStarted {
        Checks.u32(attempt, "attempt");
        Objects.requireNonNull(nodeId, "nodeId");
    }

    @Override
    public FrameType type() {
        return FrameType.TEST_STARTED;
    }
}
