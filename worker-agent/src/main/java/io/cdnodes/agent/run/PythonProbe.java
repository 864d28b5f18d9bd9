package io.cdnodes.agent.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdnodes.agent.sandbox.PythonInstall;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Finds out which Python and pytest a worker has, and where that Python lives, once at start. It runs the
 * worker's own interpreter outside any sandbox: nothing of a project is involved, and the sandbox is built from
 * what it says.
 */
public final class PythonProbe {

    /** The versions found. */
    public record Versions(String python, String pytest) {
    }

    /** The versions and the installation. */
    public record Found(Versions versions, PythonInstall install) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = String.join("\n",
            "import json, os, sys, pytest",
            "dirs = [sys.prefix, sys.base_prefix, sys.exec_prefix, getattr(sys, 'base_exec_prefix', sys.exec_prefix)]",
            "dirs += [p for p in sys.path if p and os.path.isabs(p) and os.path.exists(p)]",
            "print(json.dumps({'python': sys.version.split()[0], 'pytest': pytest.__version__,",
            "                  'executable': sys.executable, 'folders': dirs}))");

    private PythonProbe() {
    }

    /** @throws IOException when the interpreter cannot be run or has no pytest; the message says which */
    public static Versions probe(String python) throws IOException {
        return find(python).versions();
    }

    /** @throws IOException when the interpreter cannot be run or has no pytest; the message says which */
    public static Found find(String python) throws IOException {
        String out = run(new ProcessBuilder(List.of(python, "-c", SCRIPT)), python);
        String[] lines = out.split("\\R");
        JsonNode n;
        try {
            n = JSON.readTree(lines[lines.length - 1]);
        } catch (IOException e) {
            throw new IOException("unexpected answer from " + python + ": " + out);
        }
        Set<Path> folders = new LinkedHashSet<>();
        n.path("folders").forEach(f -> folders.add(Path.of(f.asText()).toAbsolutePath().normalize()));
        String executable = n.path("executable").asText();
        if (executable.isEmpty() || n.path("python").asText().isEmpty()) {
            throw new IOException("unexpected answer from " + python + ": " + out);
        }
        return new Found(new Versions(n.path("python").asText(), n.path("pytest").asText()),
                new PythonInstall(Path.of(executable), new ArrayList<>(folders)));
    }

    /** Runs a probe to its end (at most 60 s) and returns its output; a failure names {@code python}. */
    static String run(ProcessBuilder pb, String python) throws IOException {
        Process p = pb.redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            boolean done = p.waitFor(60, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
                throw new IOException(python + " did not answer within 60 s");
            }
            String out = new String(p.getInputStream().readNBytes(256 * 1024), StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                throw new IOException(python + " cannot import pytest: " + lastLine(out));
            }
            return out;
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
