package io.cdnodes.coordinator.access;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many keys this coordinator has revoked since it started, counted once each revocation has committed: what
 * holds a key for long (an open event stream) looks the key up again when the count moves. Thread-safe.
 */
@ApplicationScoped
public class KeyRevocations {

    private final AtomicLong count = new AtomicLong();

    /** Revocations committed so far. */
    public long count() {
        return count.get();
    }

    void committed() {
        count.incrementAndGet();
    }
}
