package io.cdnodes.coordinator.config;

import java.util.function.Function;

/**
 * How much one client may make the coordinator hold. See the README's configuration table.
 *
 * @param maxQueuedPerKey {@code CDNODES_MAX_QUEUED_PER_KEY}: evaluations one API key may have submitted and not
 *                        yet finished (50); the admin key has no such cap
 */
public record UsageLimits(int maxQueuedPerKey) {

    static final int MAX_QUEUED_LIMIT = 1_000_000;

    public static UsageLimits from(Function<String, String> lookup) {
        return new UsageLimits(queued(value(lookup, "CDNODES_MAX_QUEUED_PER_KEY")));
    }

    private static String value(Function<String, String> lookup, String key) {
        String v = lookup.apply(key);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static int queued(String v) {
        if (v == null) {
            return 50;
        }
        long n = number("CDNODES_MAX_QUEUED_PER_KEY", v);
        if (n < 1 || n > MAX_QUEUED_LIMIT) {
            throw new IllegalArgumentException("CDNODES_MAX_QUEUED_PER_KEY must be between 1 and " + MAX_QUEUED_LIMIT
                    + ": " + v);
        }
        return (int) n;
    }

    private static long number(String key, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number: " + v, e);
        }
    }
}
