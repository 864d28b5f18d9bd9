package io.cdnodes.protocol.frame;

/**
 * A sign of life, sent by both sides every heartbeat interval.
 *
 * @param sequence a counter the sender increments; the receiver may ignore it
 */
public record Heartbeat(long sequence) implements Frame {

    @Override
    public FrameType type() {
        return FrameType.HEARTBEAT;
    }
}
