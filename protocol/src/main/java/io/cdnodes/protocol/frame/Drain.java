package io.cdnodes.protocol.frame;

import java.util.Objects;

/**
 * A worker is leaving: it finishes the tests it is running, takes no new work, and its queued work
 * goes back to the coordinator.
 *
 * @param reason why, for the log
 */
public record Drain(String reason) implements Frame {

    public Drain {
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public FrameType type() {
        return FrameType.DRAIN;
    }
}
