package io.cdnodes.coordinator.config;

/**
 * How much of what pytest reports for each test the coordinator keeps.
 *
 * @param perValue      {@code CDNODES_MAX_REPORT_CHARS}: the most characters of each text of one test's report (its
 *                      failure text, stdout, stderr, log, reason), asked of workers and enforced on what they send
 *                      (32768)
 * @param perEvaluation {@code CDNODES_MAX_EVALUATION_REPORT_CHARS}: the most characters of reports one evaluation
 *                      keeps; past it, a test keeps its outcome, message and phase, and a line saying its report
 *                      was left out (67108864)
 */
public record ReportLimits(int perValue, long perEvaluation) {

    public static final int DEFAULT_PER_VALUE = 32_768;
    public static final long DEFAULT_PER_EVALUATION = 64L << 20;

    public static ReportLimits defaults() {
        return new ReportLimits(DEFAULT_PER_VALUE, DEFAULT_PER_EVALUATION);
    }
}
