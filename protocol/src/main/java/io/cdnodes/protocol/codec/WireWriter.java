package io.cdnodes.protocol.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Writes the primitive field types of a payload, big-endian. */
final class WireWriter {

    private final ByteArrayOutputStream out;

    WireWriter(int initialCapacity) {
        this.out = new ByteArrayOutputStream(initialCapacity);
    }

    WireWriter u8(int v) {
        out.write(v);
        return this;
    }

    WireWriter u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    WireWriter u32(long v) {
        return i32((int) v);
    }

    WireWriter i32(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    WireWriter i64(long v) {
        i32((int) (v >>> 32));
        return i32((int) v);
    }

    WireWriter f64(double v) {
        return i64(Double.doubleToLongBits(v));
    }

    WireWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    WireWriter bytes(byte[] b) {
        u32(b.length);
        out.writeBytes(b);
        return this;
    }

    WireWriter string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    WireWriter stringList(List<String> list) {
        u32(list.size());
        list.forEach(this::string);
        return this;
    }

    WireWriter stringMap(Map<String, String> map) {
        u32(map.size());
        // sorted, so that equal maps encode to equal bytes
        new java.util.TreeMap<>(map).forEach((k, v) -> string(k).string(v));
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
