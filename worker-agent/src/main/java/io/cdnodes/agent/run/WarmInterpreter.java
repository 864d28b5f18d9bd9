package io.cdnodes.agent.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdnodes.agent.packages.Folders;
import io.cdnodes.agent.process.Subprocess;
import io.cdnodes.agent.sandbox.Sandbox;
import io.cdnodes.agent.sandbox.SandboxSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One interpreter started ahead for a pytest session ({@code cdnodes_warm_start.py} with {@code -c}): it waits in
 * the folder of the session that will claim it ({@code <runs>/s<id>/project}, the id taken ahead), has imported
 * pytest, written its {@link WarmReadiness} and waits on its standard input. {@link #goOn} is the handshake: one
 * JSON line (the working directory, the plugin's {@code CDNODES_*} variables, pytest's arguments), after which the
 * process goes on as {@code python -m pytest ARGS} started there would ({@code runpy}'s own {@code -m} path: the
 * same {@code sys.path}, {@code sys.argv}, {@code sys.orig_argv}, {@code __main__}, environment, standard input).
 *
 * <p>Its key and process never change; {@link #takeReadiness()} is called by the one session that claimed it.
 */
final class WarmInterpreter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WarmKey key;
    private final long id;
    private final Path dir;
    private final Process process;
    private final long startedNanos;
    private WarmReadiness readiness;

    private WarmInterpreter(WarmKey key, long id, Path dir, Process process) {
        this.key = key;
        this.id = id;
        this.dir = dir;
        this.process = process;
        this.startedNanos = System.nanoTime();
    }

    /**
     * Starts one for {@code key} in {@code dir} ({@code <runs>/s<id>}), in the sandbox of the shape its key names.
     *
     * @param bootstrap the text of {@code cdnodes_warm_start.py}
     */
    static WarmInterpreter start(WarmKey key, long id, Path dir, Sandbox sandbox, String bootstrap)
            throws IOException {
        Files.createDirectories(dir.resolve("project"));
        ProcessBuilder pb = new ProcessBuilder(key.python(), "-c", bootstrap, dir.resolve(WarmReadiness.FILE).toString())
                .directory(dir.resolve("project").toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(key.environment());
        return new WarmInterpreter(key, id, dir, sandbox.wrap(pb, SandboxSpec.forRun(dir, key.sandbox())).start());
    }

    WarmKey key() {
        return key;
    }

    /** The session id, whose folder ({@code <runs>/s<id>}) the interpreter waits in. */
    long id() {
        return id;
    }

    Path project() {
        return dir.resolve("project");
    }

    Process process() {
        return process;
    }

    long startedNanos() {
        return startedNanos;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Whether it has imported what it imports and waits for its line. */
    boolean ready() {
        return process.isAlive() && Files.exists(dir.resolve(WarmReadiness.FILE));
    }

    /** Reads what it wrote once ready; read before the session's copy of the project replaces the folder. */
    void takeReadiness() throws IOException {
        readiness = WarmReadiness.read(dir.resolve(WarmReadiness.FILE));
    }

    /** Whether it can go on as {@code pb} with a sandbox of {@code shape}, as a cold start of {@code pb} would. */
    boolean serves(ProcessBuilder pb, SandboxSpec.Shape shape) throws IOException {
        return pb.directory() != null && pb.directory().toPath().equals(project())
                && key.equals(WarmKey.of(pb, shape)) && readiness.sameAsCold(pb);
    }

    /** The handshake: tells it to go on as {@code pb}. */
    void goOn(ProcessBuilder pb) throws IOException {
        List<String> cmd = pb.command();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("cwd", pb.directory().getAbsolutePath());
        line.put("env", WarmKey.pluginVariables(pb));
        line.put("args", cmd.subList(3, cmd.size()));
        OutputStream in = process.getOutputStream();
        in.write(JSON.writeValueAsBytes(line));
        in.write('\n');
        in.close();
    }

    /** Ends the interpreter unused; the folder is the session's that claimed it. */
    void abandon() {
        Subprocess.kill(process);
    }

    /** Ends an interpreter nobody claimed, and deletes its folder once it is gone (without waiting for that). */
    void end() {
        Subprocess.kill(process);
        process.onExit().thenRun(() -> Folders.deleteQuietly(dir));
    }
}
