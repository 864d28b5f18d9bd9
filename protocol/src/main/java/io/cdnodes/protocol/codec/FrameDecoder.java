package io.cdnodes.protocol.codec;

import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.FrameType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Turns a byte stream, split anywhere, into frames. Bad input becomes a {@link Violation} value: after
 * the first violation the decoder is poisoned and decodes nothing more, so one bad peer cannot make it
 * misread what follows.
 *
 * <p>A declared payload length above {@link CodecLimits#maxPayloadBytes()} (for the stream's first frame,
 * {@link CodecLimits#maxFirstPayloadBytes()}) is refused as soon as the header is complete. Memory for a
 * payload is taken as its bytes arrive, never up front from the declared length: a peer that declares a large
 * frame and sends little of it makes the decoder hold little.
 *
 * <p>Not thread-safe: one decoder per connection, fed by one reader.
 */
public final class FrameDecoder {

    /** The least taken for a payload at a time, so that a payload trickling in is not copied per byte. */
    private static final int MIN_GROWTH = 1024;

    private final CodecLimits limits;
    private final byte[] header = new byte[Wire.HEADER_BYTES];
    private int headerFill;
    private FrameType type;
    /** The declared payload length of the frame being read; -1 while its header is being read. */
    private int payloadLength = -1;
    /** The payload's bytes so far; grows as they arrive, to exactly {@link #payloadLength}. */
    private byte[] payload;
    private int payloadFill;
    private boolean firstFrame = true;
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
            if (payloadLength < 0) {
                int n = Math.min(in.remaining(), Wire.HEADER_BYTES - headerFill);
                in.get(header, headerFill, n);
                headerFill += n;
                if (headerFill == Wire.HEADER_BYTES) {
                    startPayload();
                    if (violation == null && payloadLength == 0) {
                        finishFrame(frames);
                    }
                }
            } else {
                int n = Math.min(in.remaining(), payloadLength - payloadFill);
                reserve(payloadFill + n, in.remaining());
                in.get(payload, payloadFill, n);
                payloadFill += n;
                if (payloadFill == payloadLength) {
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
        return violation == null && (headerFill > 0 || payloadLength >= 0);
    }

    /** Bytes held for the payload being read (for tests: memory follows what arrived, not what was declared). */
    int payloadCapacity() {
        return payload == null ? 0 : payload.length;
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
        if (firstFrame && length > limits.maxFirstPayloadBytes()) {
            violation = new Violation(ErrorCode.FRAME_TOO_LARGE, "first frame's payload of " + length
                    + " bytes is above the limit of " + limits.maxFirstPayloadBytes() + " for a session's first frame");
            return;
        }
        if (length > limits.maxPayloadBytes()) {
            violation = new Violation(ErrorCode.FRAME_TOO_LARGE,
                    "frame payload of " + length + " bytes is above the limit of " + limits.maxPayloadBytes());
            return;
        }
        type = t.get();
        payloadLength = (int) length;
        payload = null;
        payloadFill = 0;
    }

    /**
     * Makes room for {@code needed} payload bytes: what is at hand now (at least {@link #MIN_GROWTH}), and twice
     * what is held when more must be taken, never beyond the declared length.
     */
    private void reserve(int needed, int available) {
        int capacity = payload == null ? 0 : payload.length;
        if (needed <= capacity) {
            return;
        }
        long wanted = Math.max(Math.max(needed, (long) payloadFill + available), Math.max(2L * capacity, MIN_GROWTH));
        int size = (int) Math.min(payloadLength, wanted);
        payload = payload == null ? new byte[size] : Arrays.copyOf(payload, size);
    }

    private void finishFrame(List<Frame> frames) {
        try {
            frames.add(PayloadCodec.decode(type, payloadLength == 0 ? new byte[0] : payload, limits));
        } catch (MalformedPayloadException e) {
            violation = new Violation(ErrorCode.MALFORMED_FRAME, "malformed " + type + " payload: " + e.getMessage());
        }
        firstFrame = false;
        headerFill = 0;
        payloadLength = -1;
        payload = null;
        type = null;
    }
}
