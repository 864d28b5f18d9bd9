package io.cdnodes.protocol.codec;

/** Constants of the frame header. See PROTOCOL.md, "Framing". */
public final class Wire {

    /** The first two bytes of every frame: ASCII "CD". */
    public static final byte MAGIC_0 = 0x43;
    public static final byte MAGIC_1 = 0x44;
    /** The protocol version this implementation speaks. */
    public static final int VERSION = 3;
    /** magic (2) + version (1) + type (1) + payload length (4). */
    public static final int HEADER_BYTES = 8;

    private Wire() {
    }
}
