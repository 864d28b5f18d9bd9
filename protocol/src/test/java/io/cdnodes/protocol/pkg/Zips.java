package io.cdnodes.protocol.pkg;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes test archives with {@link ZipOutputStream} and patches what it cannot write: Unix modes, lying
 * sizes, a prepended stub, a ZIP64 end record. Only for archives without an archive comment.
 */
final class Zips {

    static final int SYMLINK_ATTRS = 0120777 << 16;
    static final int REGULAR_ATTRS = 0100644 << 16;

    private static final int EOCD_SIG = 0x06054b50;
    private static final int CEN_SIG = 0x02014b50;

    private Zips() {
    }

    /** Name/content pairs; a name ending in '/' is a folder (its content is ignored). */
    static Map<String, byte[]> entries(String... nameContent) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameContent.length; i += 2) {
            m.put(nameContent[i], nameContent[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return m;
    }

    static Path write(Path zip, String... nameContent) throws IOException {
        return write(zip, entries(nameContent));
    }

    /** Deflated entries, in the map's order. */
    static Path write(Path zip, Map<String, byte[]> entries) throws IOException {
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                if (!e.getKey().endsWith("/")) {
                    out.write(e.getValue());
                }
                out.closeEntry();
            }
        }
        return zip;
    }

    /** Sets "version made by" to {@code host} and the external attributes of entry {@code name}. */
    static void setMode(Path zip, String name, int host, int externalAttrs) throws IOException {
        patchCen(zip, name, (cen, p) -> {
            cen.putShort(p + 4, (short) (host << 8 | 20));
            cen.putInt(p + 38, externalAttrs);
        });
    }

    static void markSymlink(Path zip, String name) throws IOException {
        setMode(zip, name, 3, SYMLINK_ATTRS);
    }

    /** Makes the central directory claim a different uncompressed size for entry {@code name}. */
    static void declareSize(Path zip, String name, int size) throws IOException {
        patchCen(zip, name, (cen, p) -> cen.putInt(p + 24, size));
    }

    /** Makes the central directory claim a different compressed size for entry {@code name}. */
    static void declareCompressedSize(Path zip, String name, int size) throws IOException {
        patchCen(zip, name, (cen, p) -> cen.putInt(p + 20, size));
    }

    /** Puts bytes before the archive, as a self-extracting stub would be; offsets stay as they were. */
    static void prepend(Path zip, byte[] stub) throws IOException {
        byte[] old = Files.readAllBytes(zip);
        byte[] out = Arrays.copyOf(stub, stub.length + old.length);
        System.arraycopy(old, 0, out, stub.length, old.length);
        Files.write(zip, out);
    }

    /** Replaces the end record by a ZIP64 end record, its locator, and an end record pointing to them. */
    static void toZip64(Path zip) throws IOException {
        byte[] old = Files.readAllBytes(zip);
        ByteBuffer b = le(old);
        int eocd = old.length - 22;
        if (b.getInt(eocd) != EOCD_SIG) {
            throw new IllegalStateException("archive has a comment");
        }
        long entries = b.getShort(eocd + 10) & 0xFFFF;
        long cdSize = b.getInt(eocd + 12) & 0xFFFF_FFFFL;
        long cdOffset = b.getInt(eocd + 16) & 0xFFFF_FFFFL;
        ByteBuffer out = ByteBuffer.allocate(eocd + 56 + 20 + 22).order(ByteOrder.LITTLE_ENDIAN);
        out.put(old, 0, eocd);
        out.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                .putLong(entries).putLong(entries).putLong(cdSize).putLong(cdOffset);
        out.putInt(0x07064b50).putInt(0).putLong(eocd).putInt(1);
        out.putInt(EOCD_SIG).putShort((short) 0).putShort((short) 0).putShort((short) 0xFFFF).putShort((short) 0xFFFF)
                .putInt(0xFFFF_FFFF).putInt(0xFFFF_FFFF).putShort((short) 0);
        Files.write(zip, out.array());
    }

    /** Replaces every occurrence of {@code from} by {@code to} (same length) in the whole file. */
    static void replaceBytes(Path zip, String from, String to) throws IOException {
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = to.getBytes(StandardCharsets.UTF_8);
        if (f.length != t.length) {
            throw new IllegalArgumentException("same length only");
        }
        byte[] data = Files.readAllBytes(zip);
        for (int i = 0; i + f.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, data, i, t.length);
            }
        }
        Files.write(zip, data);
    }

    private interface CenPatch {
        void apply(ByteBuffer file, int headerOffset);
    }

    private static void patchCen(Path zip, String name, CenPatch patch) throws IOException {
        byte[] data = Files.readAllBytes(zip);
        ByteBuffer b = le(data);
        int eocd = data.length - 22;
        if (b.getInt(eocd) != EOCD_SIG) {
            throw new IllegalStateException("archive has a comment");
        }
        int p = b.getInt(eocd + 16);
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        while (b.getInt(p) == CEN_SIG) {
            int nameLen = b.getShort(p + 28) & 0xFFFF;
            int extraLen = b.getShort(p + 30) & 0xFFFF;
            int commentLen = b.getShort(p + 32) & 0xFFFF;
            if (Arrays.equals(data, p + 46, p + 46 + nameLen, wanted, 0, wanted.length)) {
                patch.apply(b, p);
                Files.write(zip, data);
                return;
            }
            p += 46 + nameLen + extraLen + commentLen;
        }
        throw new IllegalArgumentException("no entry " + name);
    }

    private static ByteBuffer le(byte[] data) {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }
}
