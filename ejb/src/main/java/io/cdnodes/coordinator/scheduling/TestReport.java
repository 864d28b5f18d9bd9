package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.results.TestOutcome;
import java.util.Map;

/**
 * One test's result as a worker reports it (a TEST_RESULT frame).
 *
 * @param taskId   the assignment it belongs to
 * @param attempt  the attempt of it
 * @param nodeId   the pytest node id
 * @param outcome  passed, failed, error...
 * @param duration seconds
 * @param message  what went wrong, or null
 * @param report   what else pytest reported (the frame's report map, as the worker sent it)
 */
public record TestReport(long taskId, int attempt, String nodeId, TestOutcome outcome, double duration, String message,
                         Map<String, String> report) {

    public TestReport {
        report = report == null ? Map.of() : report;
    }

    /** A report with nothing beyond its message. */
    public TestReport(long taskId, int attempt, String nodeId, TestOutcome outcome, double duration, String message) {
        this(taskId, attempt, nodeId, outcome, duration, message, Map.of());
    }
}
