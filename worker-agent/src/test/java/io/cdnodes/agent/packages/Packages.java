package io.cdnodes.agent.packages;

import io.cdnodes.protocol.frame.PackageBegin;
import io.cdnodes.protocol.frame.PackageChunk;
import io.cdnodes.protocol.frame.PackageEnd;
import io.cdnodes.protocol.transfer.PackageAssembler;
import io.cdnodes.protocol.transfer.PackageDigest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Zips made in memory and transfers fed to a cache frame by frame, for tests. */
public final class Packages {

    private Packages() {
    }

    /** A zip of the given entries (name to UTF-8 content), in the given order. */
    public static byte[] zip(Map<String, String> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static String id(byte[] content) {
        return PackageDigest.of(content);
    }

    /** BEGIN, CHUNKs of {@code chunk} bytes, END: the package as it travels. */
    public static void transfer(PackageCache cache, byte[] content, int chunk)
            throws IOException, PackageAssembler.TransferException {
        String id = id(content);
        cache.begin(new PackageBegin(id, content.length));
        for (int off = 0; off < content.length; off += chunk) {
            cache.chunk(new PackageChunk(id, off, Arrays.copyOfRange(content, off, Math.min(content.length, off + chunk))));
        }
        cache.end(new PackageEnd(id));
    }
}
