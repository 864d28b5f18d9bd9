package io.cdnodes.protocol.session;

import java.time.Duration;

/**
 * The deadlines a session keeps.
 *
 * @param handshake         time a new connection has to complete its HELLO
 * @param heartbeatInterval how often each side sends a heartbeat
 * @param idle              time without any frame after which the peer is considered gone
 * @param stalledFrame      time a frame may stay half-received before the peer is considered stalling
 */
public record SessionTimeouts(Duration handshake, Duration heartbeatInterval, Duration idle, Duration stalledFrame) {

    public static final Duration DEFAULT_HANDSHAKE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_IDLE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_STALLED_FRAME = Duration.ofSeconds(30);

    public SessionTimeouts {
        positive(handshake, "handshake");
        positive(heartbeatInterval, "heartbeatInterval");
        positive(idle, "idle");
        positive(stalledFrame, "stalledFrame");
        if (idle.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("idle timeout " + idle + " must be at least twice the heartbeat interval "
                    + heartbeatInterval);
        }
    }

    public static SessionTimeouts defaults() {
        return new SessionTimeouts(DEFAULT_HANDSHAKE, DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_IDLE, DEFAULT_STALLED_FRAME);
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
