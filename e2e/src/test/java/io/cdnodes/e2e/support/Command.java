package io.cdnodes.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A command run to its end, as a user would run it: its exit code and everything it printed (stdout and stderr). */
public final class Command {

    /** How it ended. */
    public record Result(int exit, String output) {
    }

    private Command() {
    }

    /**
     * Runs {@code command} in {@code dir} and waits for it; one that runs past {@code timeout} is killed with its
     * children and fails the test with what it printed.
     *
     * @param environment edits the environment it gets: the test's own, without its {@code CDNODES_*} variables
     */
    public static Result run(List<String> command, Path dir, Duration timeout, Consumer<Map<String, String>> environment) {
        try {
            Path out = Files.createTempFile("cdnodes-command-", ".out");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(out.toFile());
                pb.environment().keySet().removeIf(k -> k.startsWith("CDNODES_"));
                environment.accept(pb.environment());
                Process p = pb.start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not end within " + timeout + ":\n"
                            + Files.readString(out, StandardCharsets.UTF_8));
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The same with {@code env} added to that environment. */
    public static Result run(List<String> command, Path dir, Duration timeout, Map<String, String> env) {
        return run(command, dir, timeout, e -> e.putAll(env));
    }
}
