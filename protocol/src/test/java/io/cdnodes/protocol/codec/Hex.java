package io.cdnodes.protocol.codec;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/**
 * Hex text for tests: parsing hand-written vectors ({@code #} starts a comment that runs to the end of the
 * line) and the dump format PROTOCOL.md uses ({@code offset  16 bytes  |ascii|}).
 */
public final class Hex {

    private static final int PER_LINE = 16;

    private Hex() {
    }

    /** Bytes from hex digits; whitespace is ignored and {@code #} comments to the end of the line. */
    public static byte[] parse(String text) {
        StringBuilder digits = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            int hash = line.indexOf('#');
            digits.append((hash < 0 ? line : line.substring(0, hash)).replaceAll("\\s+", ""));
        }
        return HexFormat.of().parseHex(digits);
    }

    /** Lower-case hex digits, no separators. */
    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** A dump, one line per 16 bytes: a 4-digit hex offset, the bytes in two groups of 8, then ASCII. */
    public static String dump(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (int start = 0; start < bytes.length; start += PER_LINE) {
            out.append(String.format("%04x ", start));
            StringBuilder ascii = new StringBuilder();
            for (int i = start; i < start + PER_LINE; i++) {
                if (i % PER_LINE == 8) {
                    out.append(' ');
                }
                if (i < bytes.length) {
                    int b = bytes[i] & 0xFF;
                    out.append(String.format(" %02x", b));
                    ascii.append(b >= 0x20 && b < 0x7F ? (char) b : '.');
                } else {
                    out.append("   ");
                }
            }
            out.append("  |").append(ascii).append("|\n");
        }
        return out.toString();
    }

    /** The bytes of a {@link #dump(byte[])}, checking that each line's offset follows the previous line. */
    public static byte[] parseDump(String dump) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : dump.strip().split("\n")) {
            int bar = line.indexOf('|');
            String[] tokens = (bar < 0 ? line : line.substring(0, bar)).trim().split("\\s+");
            int offset = Integer.parseInt(tokens[0], 16);
            if (offset != out.size()) {
                throw new IllegalArgumentException("dump line at offset " + tokens[0] + " follows " + out.size()
                        + " bytes");
            }
            for (int i = 1; i < tokens.length; i++) {
                out.write(Integer.parseInt(tokens[i], 16));
            }
        }
        return out.toByteArray();
    }
}
