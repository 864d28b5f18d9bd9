package io.cdnodes.protocol.frame;

import java.util.Objects;

/**
 * The outcome of one pytest node within an assignment.
 *
 * @param assignmentId    the assignment
 * @param attempt         the assignment's attempt this result belongs to
 * @param nodeId          the pytest node id, relative to the project root
 * @param outcome         the outcome, as pytest's summary names it
 * @param durationSeconds setup + call + teardown time in seconds
 * @param message         the failure or skip text, bounded by the worker; empty when passed
 */
public record TestResult(long assignmentId, int attempt, String nodeId, Outcome outcome,
                         double durationSeconds, String message) implements Frame {

    public TestResult {
        Checks.u32(attempt, "attempt");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(outcome, "outcome");
        Checks.finite(durationSeconds, "durationSeconds");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public FrameType type() {
        return FrameType.TEST_RESULT;
    }
}
