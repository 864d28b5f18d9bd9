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
        /** The most properties one report carries, and the longest name of one. */
        public static final int MAX_PROPERTIES = 32;
        public static final int MAX_PROPERTY_NAME = 256;
        /**
         * The most characters of all of one report's values together: at most 3 UTF-8 bytes each, a report stays
         * well inside the smallest frame limit a coordinator may set.
         */
        public static final int MAX_TOTAL_CHARS = 1 << 20;

        private static final java.util.List<String> FIELDS = java.util.List.of(PHASE, REASON, LONGREPR, STDERR,
                STDOUT, LOG);

        private Report() {
        }

        /**
         * At most {@code max} characters of {@code text} (and a line saying what was cut): its first quarter and its
         * end, where a traceback's error and the last output are. The worker's plugin cuts the same way.
         */
        public static String cut(String text, int max) {
            if (text.length() <= max) {
                return text;
            }
            int head = max / 4;
            int tail = max - head;
            return text.substring(0, head) + "\n[... " + (text.length() - head - tail)
                    + " characters cut by CD Nodes ...]\n" + text.substring(text.length() - tail);
        }

        /**
         * A report as a receiver may keep it: the known keys and at most {@link #MAX_PROPERTIES} properties, each
         * value cut to {@code maxChars}, all of them together to {@link #MAX_TOTAL_CHARS} (the failure text first,
         * then stderr, stdout, the log, the properties).
         */
        public static Map<String, String> bounded(Map<String, String> report, int maxChars) {
            java.util.LinkedHashMap<String, String> out = new java.util.LinkedHashMap<>();
            if (maxChars <= 0) {
                return out; // no reports asked for: not even the lines saying what was cut
            }
            int[] left = {MAX_TOTAL_CHARS};
            java.util.function.BiConsumer<String, String> keep = (k, v) -> {
                if (v == null || v.isEmpty() || left[0] <= 0) {
                    return;
                }
                String kept = cut(cut(v, maxChars), left[0]);
                left[0] -= kept.length();
                out.put(k, kept);
            };
            FIELDS.forEach(k -> keep.accept(k, report.get(k)));
            report.keySet().stream().filter(k -> k.startsWith(PROPERTY_PREFIX)
                            && k.length() <= PROPERTY_PREFIX.length() + MAX_PROPERTY_NAME)
                    .sorted().limit(MAX_PROPERTIES).forEach(k -> keep.accept(k, report.get(k)));
            return out;
        }
    }
}
