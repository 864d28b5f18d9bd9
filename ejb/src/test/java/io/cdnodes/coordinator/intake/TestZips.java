package io.cdnodes.coordinator.intake;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Uploads for intake tests. */
final class TestZips {

    private TestZips() {
    }

    /** Name/content pairs, in order; a name ending in '/' is a folder. */
    static Path write(Path zip, String... nameContent) throws IOException {
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(os)) {
            for (int i = 0; i < nameContent.length; i += 2) {
                out.putNextEntry(new ZipEntry(nameContent[i]));
                if (!nameContent[i].endsWith("/")) {
                    out.write(nameContent[i + 1].getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
        }
        return zip;
    }

    static Path write(Path zip, String name, byte[] content) throws IOException {
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(os)) {
            out.putNextEntry(new ZipEntry(name));
            out.write(content);
            out.closeEntry();
        }
        return zip;
    }

    /** Marks entry {@code name} as a Unix symbolic link in the central directory (no archive comment). */
    static void markSymlink(Path zip, String name) throws IOException {
        byte[] data = Files.readAllBytes(zip);
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int p = b.getInt(data.length - 22 + 16);
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        while (b.getInt(p) == 0x02014b50) {
            int nameLen = b.getShort(p + 28) & 0xFFFF;
            int skip = 46 + nameLen + (b.getShort(p + 30) & 0xFFFF) + (b.getShort(p + 32) & 0xFFFF);
            if (Arrays.equals(data, p + 46, p + 46 + nameLen, wanted, 0, wanted.length)) {
                b.putShort(p + 4, (short) (3 << 8 | 20));
                b.putInt(p + 38, 0120777 << 16);
                Files.write(zip, data);
                return;
            }
            p += skip;
        }
        throw new IllegalArgumentException("no entry " + name);
    }

    /** The entry names of a stored package, in order. */
    static List<String> names(Path zip) throws IOException {
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            List<String> out = new ArrayList<>();
            zf.stream().forEach(e -> out.add(e.getName()));
            return out;
        }
    }

    static String content(Path zip, String name) throws IOException {
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            return new String(zf.getInputStream(zf.getEntry(name)).readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
