package io.cdnodes.web.evaluation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When a long-lived event stream looks its caller's key up again, so that a revoked key does not keep reading: at
 * once when this coordinator has revoked a key since the last look (the revocation count moved), and every
 * {@link #EVERY} in any case. One per stream, used by its thread only.
 */
final class KeyRecheck {

    /** The longest a stream goes without looking its key up. */
    static final Duration EVERY = Duration.ofSeconds(30);

    private final Clock clock;
    /** When the key was last found valid by this stream; null before the first look. */
    private Instant lookedAt;
    private long revocationsSeen;

    KeyRecheck(Clock clock) {
        this.clock = clock;
    }

    /**
     * Whether to look the key up now, given the revocation count read just before: at the stream's first turn (the
     * key may have been revoked since the request was authenticated), after a revocation, or when it is time.
     */
    boolean due(long revocations) {
        return lookedAt == null || revocations != revocationsSeen || !clock.instant().isBefore(lookedAt.plus(EVERY));
    }

    /** The key was found valid after the revocation count was {@code revocations}. */
    void stillValid(long revocations) {
        lookedAt = clock.instant();
        revocationsSeen = revocations;
    }
}
