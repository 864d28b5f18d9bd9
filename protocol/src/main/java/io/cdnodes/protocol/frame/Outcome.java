package io.cdnodes.protocol.frame;

import java.util.Locale;
import java.util.Optional;

/**
 * The outcome of one pytest node, as pytest's own terminal summary names it.
 * {@link #ERROR} covers setup, teardown and collection failures.
 */
public enum Outcome {
    PASSED(0), FAILED(1), ERROR(2), SKIPPED(3), XFAILED(4), XPASSED(5);

    private final int code;

    Outcome(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The lower-case name used in JSON and in the HTTP API ({@code "xfailed"}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Outcome> fromCode(int code) {
        for (Outcome o : values()) {
            if (o.code == code) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    public static Optional<Outcome> fromWireName(String name) {
        for (Outcome o : values()) {
            if (o.wireName().equals(name)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
