package io.cdnodes.protocol.codec;

import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.FrameType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a byte stream, split anywhere, into frames. Bad input becomes a {@link Violation} value: after
 * the first violation the decoder is poisoned and decodes nothing more, so one bad peer cannot make it
 * misread what follows.
 *
 * <p>A declared payload length above {@link CodecLimits#maxPayloadBytes()} is refused as soon as the
 * header is complete, before anything is allocated for the payload.
 *
 * <p>Not thread-safe: one decoder per connection, fed by one reader.
 */
public final class FrameDecoder {

    private final CodecLimits limits;
    private final byte[] header = new byte[Wire.HEADER_BYTES];
    private int headerFill;
    private FrameType type;
    private byte[] payload;
    private int payloadFill;
    private Violation violation;

    public FrameDecoder(CodecLimits limits) {
        this.limits = limits;
    }

    public FrameDecoder() {
        this(CodecLimits.defaults());
    }

    /**
     * Consumes all of {@code in} (or up to the first violation) and returns the frames it completed, in
     * order. Check {@link #violation()} afterwards.
     */
    public List<Frame> feed(ByteBuffer in) {
        List<Frame> frames = new ArrayList<>(1);
        while (violation == null && in.hasRemaining()) {
            if (payload == null) {
                int n = Math.min(in.remaining(), Wire.HEADER_BYTES - headerFill);
                in.get(header, headerFill, n);
                headerFill += n;
                if (headerFill == Wire.HEADER_BYTES) {
                    startPayload();
                    if (violation == null && payload.length == 0) {
                        finishFrame(frames);
                    }
                }
            } else {
                int n = Math.min(in.remaining(), payload.length - payloadFill);
                in.get(payload, payloadFill, n);
                payloadFill += n;
                if (payloadFill == payload.length) {
                    finishFrame(frames);
                }
            }
        }
        return frames;
    }

    /** Convenience for {@link #feed(ByteBuffer)} over a part of an array. */
    public List<Frame> feed(byte[] bytes, int offset, int length) {
        return feed(ByteBuffer.wrap(bytes, offset, length));
    }

    /** The violation that poisoned this decoder, if any. */
    public Optional<Violation> violation() {
        return Optional.ofNullable(violation);
    }

    /** True while part of a frame has arrived and the rest has not: a peer that stops here is stalling. */
    public boolean midFrame() {
        return violation == null && (headerFill > 0 || payload != null);
    }

    private void startPayload() {
        if (header[0] != Wire.MAGIC_0 || header[1] != Wire.MAGIC_1) {
            violation = new Violation(ErrorCode.MALFORMED_FRAME, "bad magic: not a CDProto frame");
            return;
        }
        int version = header[2] & 0xFF;
        if (version != Wire.VERSION) {
            violation = new Violation(ErrorCode.UNSUPPORTED_VERSION,
                    "protocol version " + version + " is not supported; this peer speaks " + Wire.VERSION);
            return;
        }
        int code = header[3] & 0xFF;
        Optional<FrameType> t = FrameType.fromCode(code);
        if (t.isEmpty()) {
            violation = new Violation(ErrorCode.MALFORMED_FRAME, "unknown frame type 0x" + Integer.toHexString(code));
            return;
        }
        long length = ByteBuffer.wrap(header, 4, 4).getInt() & 0xFFFF_FFFFL;
        if (length > limits.maxPayloadBytes()) {
            violation = new Violation(ErrorCode.FRAME_TOO_LARGE,
                    "frame payload of " + length + " bytes is above the limit of " + limits.maxPayloadBytes());
            return;
        }
        type = t.get();
        payload = new byte[(int) length];
        payloadFill = 0;
    }

    private void finishFrame(List<Frame> frames) {
        try {
            frames.add(PayloadCodec.decode(type, payload, limits));
        } catch (MalformedPayloadException e) {
            violation = new Violation(ErrorCode.MALFORMED_FRAME, "malformed " + type + " payload: " + e.getMessage());
        }
        headerFill = 0;
        payload = null;
        type = null;
    }
}
