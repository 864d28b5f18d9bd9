package io.cdnodes.web.evaluation;

import io.cdnodes.coordinator.intake.IntakeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Copies an upload to a temporary file, refusing it as soon as it passes the size limit. */
final class UploadSpool {

    private UploadSpool() {
    }

    static Path spool(InputStream in, Path dir, long maxBytes) throws IOException {
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "upload", ".zip");
        long total = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new IntakeException(IntakeException.Kind.TOO_LARGE, "the upload is larger than "
                            + maxBytes / (1024 * 1024) + " MiB (CDNODES_MAX_UPLOAD_MB)");
                }
                out.write(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }
}
