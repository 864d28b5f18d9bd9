package io.cdnodes.protocol.codec;

/**
 * The limits a codec enforces.
 *
 * @param maxPayloadBytes the largest payload a frame may declare; a larger declared length is refused
 *                        before any of its payload is read
 * @param maxListItems    the most items a list or map field may declare
 */
public record CodecLimits(int maxPayloadBytes, int maxListItems) {

    /** 8 MiB frames: a 1 MiB package chunk fits with room to spare. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;
    public static final int DEFAULT_MAX_LIST_ITEMS = 1_000_000;

    public CodecLimits {
        if (maxPayloadBytes < 1024) {
            throw new IllegalArgumentException("maxPayloadBytes must be at least 1024: " + maxPayloadBytes);
        }
        if (maxListItems < 1) {
            throw new IllegalArgumentException("maxListItems must be positive: " + maxListItems);
        }
    }

    public static CodecLimits defaults() {
        return new CodecLimits(DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MAX_LIST_ITEMS);
    }

    public CodecLimits withMaxPayloadBytes(int bytes) {
        return new CodecLimits(bytes, maxListItems);
    }
}
