package io.cdnodes.coordinator.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * How much one client may make the coordinator hold, and for how long it holds it. See the README's
 * configuration table.
 *
 * @param maxQueuedPerKey {@code CDNODES_MAX_QUEUED_PER_KEY}: evaluations one API key may have submitted and not
 *                        yet finished (50); the admin key has no such cap
 * @param retention       {@code CDNODES_RETENTION_DAYS}: finished evaluations older than this are deleted with
 *                        their results, packages and result files; empty (the default, {@code off}) keeps them
 */
public record UsageLimits(int maxQueuedPerKey, Optional<Duration> retention) {

    static final int MAX_QUEUED_LIMIT = 1_000_000;
    static final long MAX_RETENTION_DAYS = 36_500;

    public static UsageLimits from(Function<String, String> lookup) {
        return new UsageLimits(queued(value(lookup, "CDNODES_MAX_QUEUED_PER_KEY")),
                retention(value(lookup, "CDNODES_RETENTION_DAYS")));
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

    private static Optional<Duration> retention(String v) {
        if (v == null || v.toLowerCase(Locale.ROOT).equals("off")) {
            return Optional.empty();
        }
        long days = number("CDNODES_RETENTION_DAYS", v);
        if (days < 1 || days > MAX_RETENTION_DAYS) {
            throw new IllegalArgumentException("CDNODES_RETENTION_DAYS must be 'off' or a number of days between 1 and "
                    + MAX_RETENTION_DAYS + ": " + v);
        }
        return Optional.of(Duration.ofDays(days));
    }

    private static long number(String key, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number: " + v, e);
        }
    }
}
