package io.cdnodes.coordinator.results;


/**
 * Counts of outcomes and what follows from them. In the grade, "passed" counts passed and xpassed (a strict
 * xpass is reported by pytest as failed already), "failed" counts failed and error; skipped and xfailed
 * count in neither.
 */
public record Tally(long passed, long failed, long error, long skipped, long xfailed, long xpassed) {

    public static final Tally EMPTY = new Tally(0, 0, 0, 0, 0, 0);

    public Tally plus(TestOutcome o, long n) {
        return switch (o) {
            case PASSED -> new Tally(passed + n, failed, error, skipped, xfailed, xpassed);
            case FAILED -> new Tally(passed, failed + n, error, skipped, xfailed, xpassed);
            case ERROR -> new Tally(passed, failed, error + n, skipped, xfailed, xpassed);
            case SKIPPED -> new Tally(passed, failed, error, skipped + n, xfailed, xpassed);
            case XFAILED -> new Tally(passed, failed, error, skipped, xfailed + n, xpassed);
            case XPASSED -> new Tally(passed, failed, error, skipped, xfailed, xpassed + n);
        };
    }

    public Tally plus(Tally t) {
        return new Tally(passed + t.passed, failed + t.failed, error + t.error, skipped + t.skipped,
                xfailed + t.xfailed, xpassed + t.xpassed);
    }

    /** Every result counted. */
    public long executed() {
        return passed + failed + error + skipped + xfailed + xpassed;
    }

    /** Passed for grading: passed and xpassed. */
    public long gradePassed() {
        return passed + xpassed;
    }

    /** Failed for grading: failed and error. */
    public long gradeFailed() {
        return failed + error;
    }

    /** Share of executed tests that passed (passed and xpassed), 0..100, one decimal; 0 when none ran. */
    public double passedPercent() {
        return percent(gradePassed(), executed());
    }

    /** Share of executed tests that failed (failed and error), 0..100, one decimal; 0 when none ran. */
    public double failedPercent() {
        return percent(gradeFailed(), executed());
    }

    /** passed / (passed + failed) * 20, two decimals; null when neither happened. */
    public Double grade() {
        long denominator = gradePassed() + gradeFailed();
        return denominator == 0 ? null : Math.round(gradePassed() * 20.0 / denominator * 100) / 100.0;
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0.0 : Math.round(part * 1000.0 / whole) / 10.0;
    }
}
