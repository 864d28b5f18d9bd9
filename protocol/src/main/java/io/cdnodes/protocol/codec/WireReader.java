package io.cdnodes.protocol.codec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the primitive field types of a payload, refusing anything that runs past its end. */
final class WireReader {

    private final ByteBuffer buf;
    private final int maxListItems;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    WireReader(byte[] payload, int maxListItems) {
        this.buf = ByteBuffer.wrap(payload);
        this.maxListItems = maxListItems;
    }

    int u8() throws MalformedPayloadException {
        need(1, "u8");
        return buf.get() & 0xFF;
    }

    int u16() throws MalformedPayloadException {
        need(2, "u16");
        return buf.getShort() & 0xFFFF;
    }

    long u32() throws MalformedPayloadException {
        need(4, "u32");
        return buf.getInt() & 0xFFFF_FFFFL;
    }

    int i32() throws MalformedPayloadException {
        need(4, "i32");
        return buf.getInt();
    }

    long i64() throws MalformedPayloadException {
        need(8, "i64");
        return buf.getLong();
    }

    double f64() throws MalformedPayloadException {
        need(8, "f64");
        double d = buf.getDouble();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new MalformedPayloadException("f64 is not a finite number");
        }
        return d;
    }

    boolean bool() throws MalformedPayloadException {
        int b = u8();
        if (b > 1) {
            throw new MalformedPayloadException("bool must be 0 or 1: " + b);
        }
        return b == 1;
    }

    byte[] bytes() throws MalformedPayloadException {
        int len = length("bytes");
        byte[] out = new byte[len];
        buf.get(out);
        return out;
    }

    String string() throws MalformedPayloadException {
        int len = length("string");
        ByteBuffer slice = buf.slice(buf.position(), len);
        buf.position(buf.position() + len);
        try {
            CharBuffer chars = utf8.reset().decode(slice);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new MalformedPayloadException("string is not valid UTF-8");
        }
    }

    List<String> stringList() throws MalformedPayloadException {
        int n = count("list");
        List<String> out = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            out.add(string());
        }
        return out;
    }

    Map<String, String> stringMap() throws MalformedPayloadException {
        int n = count("map");
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String k = string();
            String v = string();
            if (out.put(k, v) != null) {
                throw new MalformedPayloadException("map repeats key " + k);
            }
        }
        return out;
    }

    void end() throws MalformedPayloadException {
        if (buf.hasRemaining()) {
            throw new MalformedPayloadException(buf.remaining() + " unexpected trailing bytes");
        }
    }

    private int length(String what) throws MalformedPayloadException {
        long len = u32();
        if (len > buf.remaining()) {
            throw new MalformedPayloadException(what + " length " + len + " runs past the payload");
        }
        return (int) len;
    }

    private int count(String what) throws MalformedPayloadException {
        long n = u32();
        // every item takes at least 4 bytes, so a count the payload cannot hold is refused up front
        if (n > maxListItems || n * 4 > buf.remaining()) {
            throw new MalformedPayloadException(what + " count " + n + " is more than the payload or limit allows");
        }
        return (int) n;
    }

    private void need(int n, String what) throws MalformedPayloadException {
        if (buf.remaining() < n) {
            throw new MalformedPayloadException("payload ends inside a " + what);
        }
    }
}
