package io.cdnodes.agent.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs one command to its end: standard input closed, standard output and error merged and kept up to a
 * bound, killed (with its children) at a deadline or when asked to stop. The agent's own {@code CDNODES_*}
 * variables (its token among them) are removed from the child's environment ({@link #plain}).
 */
public final class Subprocess {

    private static final long POLL_MILLIS = 50;

    /** How the command ended. */
    public enum Ending { EXITED, TIMED_OUT, CANCELLED }

    /**
     * @param exitCode the process's exit code (meaningful when {@code ending} is EXITED)
     * @param output   what it printed, head and tail when it printed more than the bound
     * @param ending   whether it exited by itself
     */
    public record Result(int exitCode, String output, Ending ending) {

        public boolean succeeded() {
            return ending == Ending.EXITED && exitCode == 0;
        }
    }

    private Subprocess() {
    }

    /**
     * {@code command} in {@code dir}, output and errors merged, with what of the agent's environment {@code kind}
     * of process gets ({@link ChildEnvironment}): what a sandbox then wraps.
     */
    public static ProcessBuilder plain(List<String> command, Path dir, ChildEnvironment kind) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        kind.keepIn(pb.environment());
        return pb;
    }

    /**
     * @param deadlineNanos  {@link System#nanoTime()} past which the process is killed
     * @param cancelled      polled while the process runs; true kills it
     * @param maxOutputBytes output kept (head and tail)
     * @throws IOException when the command cannot be started
     */
    public static Result run(ProcessBuilder pb, long deadlineNanos, BooleanSupplier cancelled, long maxOutputBytes)
            throws IOException {
        Process p = pb.redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            BoundedOutput output = new BoundedOutput(p.getInputStream(), maxOutputBytes,
                    "output-of-" + p.pid());
            Ending ending = Ending.EXITED;
            while (!p.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (cancelled.getAsBoolean()) {
                    ending = Ending.CANCELLED;
                    kill(p);
                } else if (System.nanoTime() - deadlineNanos > 0) {
                    ending = Ending.TIMED_OUT;
                    kill(p);
                }
            }
            output.await(2000);
            return new Result(p.exitValue(), output.text(), ending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "", Ending.CANCELLED);
        } finally {
            if (p.isAlive()) {
                kill(p);
            }
        }
    }

    /**
     * Kills the process and everything it started. For a sandboxed process that is bubblewrap: once it is gone,
     * the sandbox's PID namespace ends and the kernel kills whatever was left in it, even processes that left
     * their parent (a daemon started by a test).
     */
    public static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /**
     * Waits at most {@code millis} for {@code p} to exit; returns whether it did. An interrupted wait kills the
     * process (with its children) and counts as exited, so that a slot being shut down ends its pytest.
     */
    public static boolean exitedWithin(Process p, long millis) {
        try {
            return p.waitFor(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(p);
            return true;
        }
    }
}
