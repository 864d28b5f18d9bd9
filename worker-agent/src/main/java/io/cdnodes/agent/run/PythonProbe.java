package io.cdnodes.agent.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds out which Python and pytest a worker has, once at start. */
public final class PythonProbe {

    /** The versions found. */
    public record Versions(String python, String pytest) {
    }

    private PythonProbe() {
    }

    /**
     * @throws IOException when the interpreter cannot be run or has no pytest; the message says which
     */
    public static Versions probe(String python) throws IOException {
        Process p = new ProcessBuilder(List.of(python, "-c",
                "import sys, pytest; print(sys.version.split()[0]); print(pytest.__version__)"))
                .redirectErrorStream(true).start();
        try {
            boolean done = p.waitFor(60, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8).trim();
            if (!done) {
                p.destroyForcibly();
                throw new IOException(python + " did not answer within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(python + " cannot import pytest: " + lastLine(out));
            }
            String[] lines = out.split("\\R");
            if (lines.length < 2) {
                throw new IOException("unexpected answer from " + python + ": " + out);
            }
            return new Versions(lines[lines.length - 2].trim(), lines[lines.length - 1].trim());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while probing " + python, e);
        }
    }

    private static String lastLine(String s) {
        String[] lines = s.split("\\R");
        return lines.length == 0 ? s : lines[lines.length - 1];
    }
}
