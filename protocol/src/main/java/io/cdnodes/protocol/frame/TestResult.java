package io.cdnodes.protocol.frame;

import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one pytest node within an assignment.
 *
 * @param assignmentId    the assignment
 * @param attempt         the assignment's attempt this result belongs to
 * @param nodeId          the pytest node id, relative to the project root
 * @param outcome         the outcome, as pytest's summary names it
 * @param durationSeconds setup + call + teardown time in seconds
 * @param message         the failure or skip text in one line, bounded by the worker; empty when passed
 * @param report          what else pytest reported for the node, by the keys {@link Report} names; a receiver
 *                        ignores keys it does not know
 */
public record TestResult(long assignmentId, int attempt, String nodeId, Outcome outcome,
                         double durationSeconds, String message, Map<String, String> report) implements Frame {

    public TestResult {
        Checks.u32(attempt, "attempt");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(outcome, "outcome");
        Checks.finite(durationSeconds, "durationSeconds");
        Objects.requireNonNull(message, "message");
        report = Map.copyOf(Objects.requireNonNull(report, "report"));
    }

    /** A result with nothing to report beyond its message. */
    public TestResult(long assignmentId, int attempt, String nodeId, Outcome outcome, double durationSeconds,
                      String message) {
        this(assignmentId, attempt, nodeId, outcome, durationSeconds, message, Map.of());
    }

    @Override
    public FrameType type() {
        return FrameType.TEST_RESULT;
    }

    /** The keys of {@link #report()} (PROTOCOL.md, TEST_RESULT). */
    public static final class Report {

        /** Where a failure or error happened: {@code setup}, {@code call} or {@code teardown}. */
        public static final String PHASE = "phase";
        /** Why the node was skipped, or the reason it was expected to fail (xfailed, xpassed). */
        public static final String REASON = "reason";
        /** The failure or error as pytest prints it, in the style {@code --tb} asks for. */
        public static final String LONGREPR = "longrepr";
        /** Captured standard output, error and log records (pytest's "Captured ..." sections). */
        public static final String STDOUT = "stdout";
        public static final String STDERR = "stderr";
        public static final String LOG = "log";
        /** Prefix of the properties the test recorded ({@code record_property}): {@code property:NAME}. */
        public static final String PROPERTY_PREFIX = "property:";

        private Report() {
        }
    }
}
