package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.results.TestOutcome;

/**
 * One test's result as a worker reports it (a TEST_RESULT frame).
 *
 * @param taskId   the assignment it belongs to
 * @param attempt  the attempt of it
 * @param nodeId   the pytest node id
 * @param outcome  passed, failed, error...
 * @param duration seconds
 * @param message  what went wrong, or null
 */
public record TestReport(long taskId, int attempt, String nodeId, TestOutcome outcome, double duration, String message) {
}
