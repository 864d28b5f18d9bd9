package io.cdnodes.coordinator.results;

import io.cdnodes.protocol.frame.Outcome;
import java.util.Locale;

/**
 * The outcome of one test as the coordinator records it, as pytest's own terminal summary names it; {@link #ERROR}
 * covers setup, teardown and collection failures. The coordinator's own type rather than the protocol's
 * {@link Outcome}, so that the wire and the tables change apart. The constants' names are what the
 * {@code test_result.outcome} column holds (a native H2 ENUM of them): they are the protocol's names, so rows
 * written when that column held {@link Outcome} read the same, and a constant is never renamed.
 */
public enum TestOutcome {
    PASSED, FAILED, ERROR, SKIPPED, XFAILED, XPASSED;

    /** The lower-case name used in JSON and in the HTTP API ({@code "xfailed"}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What a worker reported, as recorded. */
    public static TestOutcome of(Outcome reported) {
        return switch (reported) {
            case PASSED -> PASSED;
            case FAILED -> FAILED;
            case ERROR -> ERROR;
            case SKIPPED -> SKIPPED;
            case XFAILED -> XFAILED;
            case XPASSED -> XPASSED;
        };
    }
}
