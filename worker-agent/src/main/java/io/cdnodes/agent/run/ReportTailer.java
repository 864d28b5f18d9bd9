package io.cdnodes.agent.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the plugin's JSON-lines report while pytest is still appending to it: each call returns the
 * complete lines written since the last call. A line longer than the limit is dropped, not buffered.
 */
final class ReportTailer {

    private static final int MAX_LINE = 4 * 1024 * 1024;

    private final Path file;
    private long position;
    private boolean skipping;

    ReportTailer(Path file) {
        this.file = file;
    }

    /**
     * The complete lines written since the last call; none while anything but a file (a link, a folder, a pipe)
     * stands at the report's name, which only the run's own tests can have put there: their results then never
     * arrive, and the coordinator records them as errors.
     */
    List<String> poll() throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return lines;
        }
        // the tests can write the folder: a link put at the name (to another run's report) is not followed, and a
        // pipe opened for reading and writing does not wait for a writer (its size is 0: nothing is read)
        try (FileChannel ch = open()) {
            if (ch == null) {
                return lines;
            }
            long size = ch.size();
            if (size <= position) {
                return lines;
            }
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size - position, 8 * 1024 * 1024));
            ch.read(buf, position);
            buf.flip();
            byte[] bytes = new byte[buf.remaining()];
            buf.get(bytes);
            // only consume up to the last newline, so that a multi-byte character is never split
            int last = -1;
            for (int i = bytes.length - 1; i >= 0; i--) {
                if (bytes[i] == '\n') {
                    last = i;
                    break;
                }
            }
            if (last < 0) {
                if (bytes.length >= MAX_LINE) {
                    position += bytes.length;
                    skipping = true;
                }
                return lines;
            }
            position += last + 1;
            int start = 0;
            if (skipping) {
                // the rest of the dropped line ends at the first newline (found by position, not by split(), which
                // would make nothing of a lone newline and drop the next good line instead)
                while (bytes[start] != '\n') {
                    start++;
                }
                start++;
                skipping = false;
            }
            String text = new String(bytes, start, last + 1 - start, StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    private FileChannel open() throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            // a link (ELOOP), a folder (EISDIR) or a socket (ENXIO) at the name, or it went away meanwhile
            return null;
        }
    }
}
