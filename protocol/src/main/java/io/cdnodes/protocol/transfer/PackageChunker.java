package io.cdnodes.protocol.transfer;

import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.PackageBegin;
import io.cdnodes.protocol.frame.PackageChunk;
import io.cdnodes.protocol.frame.PackageEnd;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Cuts a package file into the frames of one transfer: BEGIN, CHUNK..., END. */
public final class PackageChunker {

    /** Receives the frames of a transfer in order. */
    @FunctionalInterface
    public interface FrameSink {
        void send(Frame frame) throws IOException;
    }

    public static final int DEFAULT_CHUNK_BYTES = 1024 * 1024;

    private final int chunkBytes;

    public PackageChunker(int chunkBytes) {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunkBytes must be positive: " + chunkBytes);
        }
        this.chunkBytes = chunkBytes;
    }

    /** Sends the whole package to {@code sink}. The file must not change while it is sent. */
    public void send(String packageId, Path file, FrameSink sink) throws IOException {
        long size = Files.size(file);
        sink.send(new PackageBegin(packageId, size));
        try (InputStream in = Files.newInputStream(file)) {
            long offset = 0;
            while (offset < size) {
                byte[] data = in.readNBytes((int) Math.min(chunkBytes, size - offset));
                if (data.length == 0) {
                    throw new IOException("package file " + file + " shrank while it was sent");
                }
                sink.send(new PackageChunk(packageId, offset, data));
                offset += data.length;
            }
        }
        sink.send(new PackageEnd(packageId));
    }
}
