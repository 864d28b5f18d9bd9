package io.cdnodes.e2e.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A real worker-agent process ({@code java -jar cdnodes-worker.jar}) with its own work folder. */
public final class WorkerAgent implements AutoCloseable {

    private final String name;
    private final Path workDir;
    private final ManagedProcess process;

    /**
     * @param token       the worker token (null: none, which the agent refuses unless told it is meant)
     * @param fingerprint the coordinator certificate's SHA-256 to pin on a {@code tcp://} endpoint; null on the socket
     */
    public WorkerAgent(String name, String endpoint, String token, int slots, String fingerprint) {
        this(name, endpoint, token, slots, fingerprint, List.of());
    }

    /** @param extraArgs more command-line options ({@code --sandbox off}) */
    public WorkerAgent(String name, String endpoint, String token, int slots, String fingerprint,
                       List<String> extraArgs) {
        this.name = name;
        Path dir = Paths.work("worker-" + name + "-");
        this.workDir = dir.resolve("work");
        Map<String, String> env = new HashMap<>();
        if (token != null) {
            env.put("CDNODES_WORKER_TOKEN", token);
        }
        env.put("CDNODES_PYTHON", Python.executable());
        // C1 only, as ./cdnodes starts it
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-jar", Paths.workerJar().toString(), "--coordinator", endpoint, "--name", name,
                "--slots", Integer.toString(slots),
                "--work-dir", workDir.toString(), "--backoff-max-ms", "1000"));
        if (fingerprint != null) {
            cmd.addAll(List.of("--tls-fingerprint", fingerprint));
        }
        cmd.addAll(extraArgs);
        this.process = new ManagedProcess(cmd, env, dir, dir.resolve("worker.log"));
    }

    public String name() {
        return name;
    }

    public ManagedProcess process() {
        return process;
    }

    /** The worker's {@code --work-dir}: its packages, runs, plugin and environments. */
    public Path workDir() {
        return workDir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code once the process has ended. */
    public int exitCode() {
        return process.process().exitValue();
    }

    /** Waits until the worker's log says it holds a session, and returns it. */
    public WorkerAgent awaitConnected(java.time.Duration timeout) {
        org.awaitility.Awaitility.await(name + " connected").atMost(timeout)
                .pollInterval(java.time.Duration.ofMillis(200))
                .failFast("worker " + name + " exited", () -> !process.isAlive())
                .until(() -> logTail(200).contains("] connected to "));
        return this;
    }

    /** SIGKILL, at once: the agent dies mid-test. */
    public void kill() {
        process.kill();
    }

    /** SIGSTOP: the agent freezes, its connection stays open but nothing comes out of it. */
    public void freeze() {
        signal("STOP");
    }

    /** SIGCONT: a frozen agent resumes. */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process p = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String logTail(int lines) {
        return process.logTail(lines);
    }

    @Override
    public void close() {
        process.close();
    }
}
