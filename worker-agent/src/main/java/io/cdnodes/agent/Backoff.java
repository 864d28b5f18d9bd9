package io.cdnodes.agent;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential back-off with jitter: the n-th delay is drawn uniformly from [d/2, d] where
 * d = min(max, min * 2^n). Jitter keeps a fleet of workers from reconnecting in lockstep after the
 * coordinator restarts. Not thread-safe.
 */
public final class Backoff {

    private final Duration min;
    private final Duration max;
    private final DoubleSupplier random;
    private int attempt;

    public Backoff(Duration min, Duration max, DoubleSupplier random) {
        this.min = min;
        this.max = max;
        this.random = random;
    }

    public Duration next() {
        double base = Math.min(max.toMillis(), min.toMillis() * Math.pow(2, Math.min(attempt, 30)));
        attempt++;
        long ms = Math.round(base / 2 + random.getAsDouble() * base / 2);
        return Duration.ofMillis(Math.max(1, ms));
    }

    /** After a link that was welcomed, start again from the shortest delay. */
    public void reset() {
        attempt = 0;
    }
}
