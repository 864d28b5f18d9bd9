package io.cdnodes.protocol.codec;

/**
 * The limits a codec enforces.
 *
 * @param maxPayloadBytes      the largest payload a frame may declare; a larger declared length is refused
 *                             before any of its payload is read
 * @param maxListItems         the most items a list or map field may declare
 * @param maxFirstPayloadBytes the largest payload the first frame of a stream may declare. A coordinator sets it
 *                             to {@link #DEFAULT_MAX_HELLO_BYTES}: before a peer has authenticated, it may make
 *                             the coordinator hold no more than that (PROTOCOL.md, section 11). Equal to
 *                             {@code maxPayloadBytes} when the first frame has no limit of its own.
 */
public record CodecLimits(int maxPayloadBytes, int maxListItems, int maxFirstPayloadBytes) {

    /** 8 MiB frames: a 1 MiB package chunk fits with room to spare. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;
    public static final int DEFAULT_MAX_LIST_ITEMS = 1_000_000;
    /**
     * The largest HELLO payload a coordinator must accept, and the most a worker may send: room for a long name,
     * the versions, a token and about a hundred cached package ids.
     */
    public static final int DEFAULT_MAX_HELLO_BYTES = 8 * 1024;
    private static final int MIN_PAYLOAD_BYTES = 1024;

    public CodecLimits {
        if (maxPayloadBytes < MIN_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("maxPayloadBytes must be at least 1024: " + maxPayloadBytes);
        }
        if (maxListItems < 1) {
            throw new IllegalArgumentException("maxListItems must be positive: " + maxListItems);
        }
        if (maxFirstPayloadBytes < 1 || maxFirstPayloadBytes > maxPayloadBytes) {
            throw new IllegalArgumentException("maxFirstPayloadBytes must be 1..maxPayloadBytes (" + maxPayloadBytes
                    + "): " + maxFirstPayloadBytes);
        }
    }

    /** Limits without a separate limit for the first frame. */
    public CodecLimits(int maxPayloadBytes, int maxListItems) {
        this(maxPayloadBytes, maxListItems, maxPayloadBytes);
    }

    public static CodecLimits defaults() {
        return new CodecLimits(DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MAX_LIST_ITEMS);
    }

    /** A coordinator's limits: the defaults, with a stream's first frame (the HELLO) held to a few KiB. */
    public static CodecLimits coordinator() {
        return defaults().withMaxFirstPayloadBytes(DEFAULT_MAX_HELLO_BYTES);
    }

    /** The same with another payload limit; a separate first-frame limit is kept, within the new limit. */
    public CodecLimits withMaxPayloadBytes(int bytes) {
        int first = maxFirstPayloadBytes == maxPayloadBytes ? bytes : Math.min(maxFirstPayloadBytes, bytes);
        return new CodecLimits(bytes, maxListItems, first);
    }

    /** The same with a limit of its own for a stream's first frame (at most the payload limit). */
    public CodecLimits withMaxFirstPayloadBytes(int bytes) {
        return new CodecLimits(maxPayloadBytes, maxListItems, bytes);
    }
}
