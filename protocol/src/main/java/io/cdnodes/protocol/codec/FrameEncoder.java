package io.cdnodes.protocol.codec;

import io.cdnodes.protocol.frame.Frame;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Turns frames into bytes. Refuses to produce a frame the peer's decoder would refuse for its size.
 * Stateless and thread-safe.
 */
public final class FrameEncoder {

    private final CodecLimits limits;

    public FrameEncoder(CodecLimits limits) {
        this.limits = limits;
    }

    public FrameEncoder() {
        this(CodecLimits.defaults());
    }

    /** The whole frame, header and payload. */
    public byte[] encode(Frame frame) {
        byte[] payload = PayloadCodec.encode(frame);
        if (payload.length > limits.maxPayloadBytes()) {
            throw new IllegalArgumentException(frame.type() + " payload of " + payload.length
                    + " bytes is above the limit of " + limits.maxPayloadBytes());
        }
        ByteBuffer out = ByteBuffer.allocate(Wire.HEADER_BYTES + payload.length);
        out.put(Wire.MAGIC_0).put(Wire.MAGIC_1).put((byte) Wire.VERSION).put((byte) frame.type().code())
                .putInt(payload.length).put(payload);
        return out.array();
    }

    /** Writes the frame to a stream in one write call; the caller serialises writers and flushes. */
    public void write(Frame frame, OutputStream out) throws IOException {
        out.write(encode(frame));
    }
}
