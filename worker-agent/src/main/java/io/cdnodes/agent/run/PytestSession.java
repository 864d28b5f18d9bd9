package io.cdnodes.agent.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdnodes.agent.packages.Folders;
import io.cdnodes.agent.process.BoundedOutput;
import io.cdnodes.agent.process.Subprocess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * One serving pytest process (the plugin's {@code CDNODES_MODE=serve}) and its folder: the private copy of the
 * project, the batch files handed to the process and the report it writes for each. pytest collects once and
 * then runs batch after batch; its output is kept, bounded, across all of them. Used by one assignment at a
 * time ({@link PytestSessions} sees to that); {@link #close()} may come from any thread and kills the process.
 */
final class PytestSession {

    /** How a batch ended. */
    enum Ending {
        /** The plugin reported the batch done; the process serves on. */
        DONE,
        /** pytest asked to stop ({@code -x}, draining) and ended as a run-mode pytest would: the exit code is its own. */
        STOPPED,
        /** The process ended during the batch (a crash, {@code pytest.exit()}, an internal error). */
        EXITED,
        /** The process did not take the batch: it cannot serve (see the reason), or it ended before. */
        NOT_TAKEN,
        TIMED_OUT,
        CANCELLED
    }

    /**
     * @param exitCode for DONE the code a run-mode pytest would have ended with; for STOPPED and EXITED the process's
     * @param reason   for NOT_TAKEN, why
     */
    record BatchEnd(Ending ending, int exitCode, String reason) {
    }

    /**
     * How waiting for the session to be ready ended: DONE (it serves; {@code collected} items), NOT_TAKEN (it cannot
     * serve, or ended first: see the reason), TIMED_OUT or CANCELLED.
     */
    record Readiness(Ending ending, int collected, String reason) {
    }

    private static final long POLL_MILLIS = 10;

    private final long id;
    private final PytestSessionKey key;
    private final Path dir;
    private final long maxOutputBytes;
    private final ReportTailer sessionReport;
    private volatile Process process;
    private BoundedOutput output;
    private boolean ready;
    private String unservable;
    private int batches;
    private boolean warm;
    /** When the plugin's ready record was read (System.nanoTime; 0 before), and its measure of the collection. */
    private long readyAtNanos;
    private long collectMillis = -1;
    private final AtomicReference<Runnable> whenReady = new AtomicReference<>();

    PytestSession(long id, PytestSessionKey key, Path dir, long maxOutputBytes) {
        this.id = id;
        this.key = key;
        this.dir = dir;
        this.maxOutputBytes = maxOutputBytes;
        this.sessionReport = new ReportTailer(dir.resolve("session.jsonl"));
    }


    PytestSessionKey key() {
        return key;
    }

    Path dir() {
        return dir;
    }

    Path project() {
        return dir.resolve("project");
    }

    /** The plugin's {@code CDNODES_STOP}: once it exists, the batch in progress stops after its current test. */
    Path stopFile() {
        return dir.resolve("stop");
    }

    /**
     * The plugin's variables; it ends by itself after {@code idleSeconds} without a batch. With {@code collect} it
     * also reports what it collected (for a COLLECT the session answers); other sessions skip that work.
     */
    Map<String, String> variables(long idleSeconds, boolean collect) {
        Map<String, String> vars = new java.util.HashMap<>(Map.of("CDNODES_REPORT",
                dir.resolve("session.jsonl").toString(), "CDNODES_SERVE_DIR", dir.toString(),
                "CDNODES_STOP", stopFile().toString(), "CDNODES_SERVE_IDLE", Long.toString(idleSeconds)));
        if (collect) {
            vars.put("CDNODES_SERVE_COLLECT", "1");
        }
        return vars;
    }

    /** Takes the process just started for this session (warm or not). */
    void start(WarmStarts.Started started) throws IOException {
        Process p = started.process();
        // first, so that close() ends it whatever happens next
        process = p;
        p.getOutputStream().close();
        output = new BoundedOutput(p.getInputStream(), maxOutputBytes, "pytest-session-" + id);
        warm = started.warm();
    }

    /**
     * Runs {@code then} once, when the plugin says whether it can serve (its start-up and collection are over), or
     * when the session is closed before that.
     */
    void whenReady(Runnable then) {
        whenReady.set(then);
    }

    /** Whether its interpreter was started ahead ({@link WarmStarts}). */
    boolean warm() {
        return warm;
    }

    /** When its readiness was read ({@link System#nanoTime()}), or 0 while it has not been. */
    long readyAtNanos() {
        return readyAtNanos;
    }

    /** How long its collection took by the plugin's own measure, ms; -1 when it did not say. */
    long collectMillis() {
        return collectMillis;
    }

    Process process() {
        return process;
    }

    boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Where the output stands now: {@link #tail(int, long)} of it gives what was printed since. */
    long outputMark() {
        return output.totalBytes();
    }

    String tail(int chars, long mark) {
        return output.tail(chars, mark);
    }

    /**
     * Hands the next batch to the process and forwards its records until it is done, the process ends, the
     * deadline passes or {@code cancelled} turns true (the caller then {@link #close()}s the session).
     */
    BatchEnd runBatch(List<String> nodeIds, long deadlineNanos, BooleanSupplier cancelled, ReportRecords records)
            throws IOException {
        if (!ready) {
            // a new session: what its collection starts is the session's, not the batch's (see endLeftovers)
            Readiness r = awaitReady(deadlineNanos, cancelled, records);
            if (r.ending() != Ending.DONE) {
                return new BatchEnd(r.ending(), 0, r.reason());
            }
        }
        int n = ++batches;
        Path request = dir.resolve("batch-" + n + ".txt");
        Path partial = dir.resolve("batch-" + n + ".tmp");
        // the session's folder is the tests' to write: never through what they may have put at this name
        Folders.writeFresh(partial, nodeIds);
        // renamed into place, so that the plugin never reads half a batch
        Files.move(partial, request, StandardCopyOption.ATOMIC_MOVE);
        ReportTailer report = new ReportTailer(dir.resolve("report-" + n + ".jsonl"));
        Process p = process;
        Set<ProcessHandle> before = p.descendants().collect(Collectors.toSet());
        boolean stopping = false;
        int doneExit = 0;
        while (true) {
            boolean exited = Subprocess.exitedWithin(p, POLL_MILLIS);
            if (!ready && !readReady()) {
                return new BatchEnd(Ending.NOT_TAKEN, 0, "pytest cannot serve this project: " + unservable);
            }
            for (JsonNode record : records.forward(report.poll())) {
                if (record.path("type").asText().equals("batch_done")) {
                    stopping = record.path("stopped").asBoolean();
                    doneExit = record.path("exit").asInt();
                    if (!stopping) {
                        endLeftovers(p, before);
                        return new BatchEnd(Ending.DONE, doneExit, "");
                    }
                }
            }
            if (exited) {
                awaitOutput();
                if (cancelled.getAsBoolean()) {
                    return new BatchEnd(Ending.CANCELLED, 0, "");
                }
                if (Files.exists(request)) {
                    return new BatchEnd(Ending.NOT_TAKEN, p.exitValue(), "pytest ended with exit code "
                            + p.exitValue() + " before it took the batch");
                }
                return new BatchEnd(stopping ? Ending.STOPPED : Ending.EXITED, p.exitValue(), "");
            }
            if (cancelled.getAsBoolean()) {
                return new BatchEnd(Ending.CANCELLED, 0, "");
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                return new BatchEnd(Ending.TIMED_OUT, 0, "");
            }
        }
    }

    /**
     * Ends what the batch's tests started and left running (a server never stopped, a daemon), as the end of a
     * pytest of its own would have: every process below the session's that was not there when the batch began.
     * What collection started (a conftest's server the next batches use) stays. Sandboxed, a daemon that left its
     * parent and session is still below the session's process (its sandbox's init took it in); unsandboxed, such
     * a daemon is out of reach.
     */
    private static void endLeftovers(Process p, Set<ProcessHandle> before) {
        p.descendants().filter(d -> !before.contains(d)).forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * Waits for a new session's collection, forwarding its records ({@code collected}) to {@code records}, until the
     * plugin says whether it can serve, the process ends, the deadline passes or {@code cancelled} turns true.
     */
    Readiness awaitReady(long deadlineNanos, BooleanSupplier cancelled, ReportRecords records) throws IOException {
        Process p = process;
        while (true) {
            boolean exited = Subprocess.exitedWithin(p, POLL_MILLIS);
            for (JsonNode n : records.forward(sessionReport.poll())) {
                if (noteReady(n)) {
                    return ready ? new Readiness(Ending.DONE, n.path("collected").asInt(), "")
                            : new Readiness(Ending.NOT_TAKEN, 0, "pytest cannot serve this project: " + unservable);
                }
            }
            if (exited) {
                awaitOutput();
                if (cancelled.getAsBoolean()) {
                    return new Readiness(Ending.CANCELLED, 0, "");
                }
                return new Readiness(Ending.NOT_TAKEN, 0, "pytest ended with exit code " + p.exitValue()
                        + " before it was ready");
            }
            if (cancelled.getAsBoolean()) {
                return new Readiness(Ending.CANCELLED, 0, "");
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                return new Readiness(Ending.TIMED_OUT, 0, "");
            }
        }
    }

    /** Reads the plugin's ready record if it came; returns false when it says the project cannot be served. */
    private boolean readReady() throws IOException {
        for (String line : sessionReport.poll()) {
            JsonNode n = ReportRecords.parse(line);
            if (n != null && noteReady(n) && !ready) {
                return false;
            }
        }
        return true;
    }

    /** Takes in the plugin's ready record ({@link #ready}, and why not in {@link #unservable}); false for others. */
    private boolean noteReady(JsonNode n) {
        if (!n.path("type").asText().equals("ready")) {
            return false;
        }
        ready = n.path("servable").asBoolean();
        unservable = ready ? null : n.path("reason").asText();
        readyAtNanos = System.nanoTime();
        collectMillis = n.path("collect_ms").asLong(-1);
        Runnable then = whenReady.getAndSet(null);
        if (then != null) {
            then.run();
        }
        return true;
    }

    private void awaitOutput() {
        try {
            output.await(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the process (with its children) and deletes the folder. */
    void close() {
        Runnable then = whenReady.getAndSet(null);
        if (then != null) {
            then.run();
        }
        Process p = process;
        if (p != null) {
            Subprocess.kill(p);
            try {
                // gone before its folder is deleted, so that nothing writes into it again
                p.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Folders.deleteQuietly(dir);
    }

    @Override
    public String toString() {
        return "pytest session " + id + " (" + key + (warm ? ", warm start" : "") + ")";
    }
}
