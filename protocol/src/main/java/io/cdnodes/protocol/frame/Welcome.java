package io.cdnodes.protocol.frame;

import java.util.Objects;

/**
 * The coordinator's answer to an accepted {@link Hello}: the session id it gave the worker and the
 * timing and size limits both sides keep for the rest of the session.
 *
 * @param workerId            the coordinator's id for this worker connection
 * @param heartbeatIntervalMs how often each side sends a {@link Heartbeat}
 * @param heartbeatTimeoutMs  after how long without any frame a side considers its peer gone
 * @param maxFrameBytes       the largest frame the coordinator accepts
 * @param chunkBytes          the size of the package chunks the coordinator sends
 */
public record Welcome(String workerId, long heartbeatIntervalMs, long heartbeatTimeoutMs,
                      long maxFrameBytes, long chunkBytes) implements Frame {

    public Welcome {
        Objects.requireNonNull(workerId, "workerId");
        Checks.u32(heartbeatIntervalMs, "heartbeatIntervalMs");
        Checks.u32(heartbeatTimeoutMs, "heartbeatTimeoutMs");
        Checks.u32(maxFrameBytes, "maxFrameBytes");
        Checks.u32(chunkBytes, "chunkBytes");
    }

    @Override
    public FrameType type() {
        return FrameType.WELCOME;
    }
}
