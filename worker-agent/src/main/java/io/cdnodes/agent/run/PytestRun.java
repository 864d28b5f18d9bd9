package io.cdnodes.agent.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdnodes.agent.deps.DeclarationScanner;
import io.cdnodes.agent.deps.InstallException;
import io.cdnodes.agent.deps.TestDependencies;
import io.cdnodes.agent.packages.Folders;
import io.cdnodes.agent.process.BoundedOutput;
import io.cdnodes.agent.process.Subprocess;
import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.AssignmentKind;
import io.cdnodes.protocol.frame.Collected;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Outcome;
import io.cdnodes.protocol.frame.TestResult;
import io.cdnodes.protocol.frame.TestStarted;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One assignment: {@code python -m pytest -p cdnodes_pytest_plugin <the user's args>} in a private copy of the
 * project, results streamed as the plugin reports them, then ASSIGNMENT_DONE. The process is killed (with
 * its children) at the assignment's time limit or on cancel; its output is kept only up to a bound. With the
 * directive {@link Assign#INSTALL_DEPS}, the project's declared test dependencies are made ready first (with a
 * time limit of their own, as long as pytest's) and pytest runs with that environment's Python; when that fails,
 * the assignment ends with {@link AssignmentDone#EXIT_NOT_STARTED} and pip's words as detail.
 */
public final class PytestRun {

    /** Where frames go; throws when the connection is gone. */
    @FunctionalInterface
    public interface FrameSink {
        void send(Frame frame) throws IOException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DETAIL_CHARS = 8000;
    private static final int COLLECTED_BATCH_BYTES = 512 * 1024;

    private final Assign assign;
    private final Path packageDir;
    private final RunSettings settings;
    private final FrameSink sink;
    private volatile boolean cancelled;
    private volatile boolean draining;
    private volatile Process process;
    private volatile Path stopFile;

    public PytestRun(Assign assign, Path packageDir, RunSettings settings, FrameSink sink) {
        this.assign = assign;
        this.packageDir = packageDir;
        this.settings = settings;
        this.sink = sink;
    }

    public Assign assign() {
        return assign;
    }

    /** Stops the run: its process is killed and it reports {@link AssignmentDone#EXIT_CANCELLED}. */
    public void cancel() {
        cancelled = true;
        Process p = process;
        if (p != null) {
            kill(p);
        }
    }

    /**
     * The worker is leaving: a run not started yet does not start; a running pytest finishes the test it is
     * running and stops. Either way the run reports {@link AssignmentDone#EXIT_DRAINED}, so that the
     * coordinator hands its remaining nodes to other workers.
     */
    public void drain() {
        draining = true;
        Path stop = stopFile;
        if (stop != null) {
            try {
                Files.createFile(stop);
            } catch (IOException e) {
                // already there, or the run is ending anyway
            }
        }
    }

    /** Runs to the end and sends every frame of the assignment; returns the exit code reported. */
    public int execute() throws IOException {
        Path runDir = settings.runsDir().resolve("a" + assign.assignmentId() + "-" + assign.attempt());
        Path project = runDir.resolve("project");
        if (draining) {
            sink.send(new AssignmentDone(assign.assignmentId(), assign.attempt(), AssignmentDone.EXIT_DRAINED, ""));
            return AssignmentDone.EXIT_DRAINED;
        }
        try {
            Path report = runDir.resolve("report.jsonl");
            Path select = runDir.resolve("select.txt");
            try {
                Folders.delete(runDir);
                Folders.copy(packageDir, project);
                if (assign.kind() == AssignmentKind.RUN) {
                    Files.write(select, assign.nodeIds(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                // every assignment ends with ASSIGNMENT_DONE, also when its private copy cannot be made
                sink.send(new AssignmentDone(assign.assignmentId(), assign.attempt(), AssignmentDone.EXIT_NOT_STARTED,
                        "cannot prepare the run: " + e));
                return AssignmentDone.EXIT_NOT_STARTED;
            }
            String python;
            try {
                python = interpreter(project);
            } catch (InstallException e) {
                int code = e.cancelled() ? AssignmentDone.EXIT_CANCELLED : AssignmentDone.EXIT_NOT_STARTED;
                sink.send(new AssignmentDone(assign.assignmentId(), assign.attempt(), code, e.getMessage()));
                return code;
            }
            ProcessBuilder pb = new ProcessBuilder(command(python)).directory(project.toFile())
                    .redirectErrorStream(true);
            environment(pb.environment(), report, select, python);
            Path stop = runDir.resolve("stop");
            pb.environment().put("CDNODES_STOP", stop.toString());
            stopFile = stop;
            if (draining) {
                drain();
            }
            int exit;
            String detail = "";
            BoundedOutput output = null;
            List<String> collected = new ArrayList<>();
            try {
                process = pb.start();
            } catch (IOException e) {
                sink.send(new AssignmentDone(assign.assignmentId(), assign.attempt(), AssignmentDone.EXIT_NOT_STARTED,
                        "cannot start " + python + ": " + e.getMessage()));
                return AssignmentDone.EXIT_NOT_STARTED;
            }
            if (cancelled) {
                kill(process);
            }
            process.getOutputStream().close();
            output = new BoundedOutput(process.getInputStream(), settings.maxOutputBytes(),
                    "pytest-output-" + assign.assignmentId());
            ReportTailer tailer = new ReportTailer(report);
            long deadline = deadline();
            boolean timedOut = false;
            while (!waitFor(process, 50)) {
                forward(tailer.poll(), collected);
                if (System.nanoTime() > deadline) {
                    timedOut = true;
                    kill(process);
                }
            }
            try {
                output.await(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            forward(tailer.poll(), collected);
            exit = timedOut ? AssignmentDone.EXIT_TIMEOUT : cancelled ? AssignmentDone.EXIT_CANCELLED
                    : draining && assign.kind() == AssignmentKind.RUN ? AssignmentDone.EXIT_DRAINED
                    : process.exitValue();
            if (assign.kind() == AssignmentKind.COLLECT) {
                sendCollected(collected);
            }
            // pytest's own words when it failed as a program (interrupted, internal or usage error, a crash);
            // nothing for test failures, no tests, or what the agent itself ended (time limit, cancel, drain)
            if (exit > 1 && exit != 5) {
                detail = output.tail(DETAIL_CHARS);
            }
            sink.send(new AssignmentDone(assign.assignmentId(), assign.attempt(), exit, detail));
            return exit;
        } finally {
            Process p = process;
            if (p != null && p.isAlive()) {
                kill(p);
            }
            Folders.deleteQuietly(runDir);
        }
    }

    private long deadline() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(assign.timeoutSeconds());
    }

    /** The worker's Python, or with {@link Assign#INSTALL_DEPS} the one of the project's test environment. */
    private String interpreter(Path project) throws InstallException {
        if (!assign.directive(Assign.INSTALL_DEPS)) {
            return settings.python();
        }
        return new TestDependencies(settings.python(), settings.pluginDir().resolve(DeclarationScanner.HELPER),
                settings.venvsDir(), settings.maxOutputBytes())
                .python(project, deadline(), () -> cancelled, "assignment=" + assign.assignmentId());
    }

    private List<String> command(String python) {
        List<String> cmd = new ArrayList<>(List.of(python, "-m", "pytest", "-p", "cdnodes_pytest_plugin"));
        if (assign.kind() == AssignmentKind.COLLECT) {
            cmd.add("--collect-only");
        }
        cmd.addAll(assign.pytestArgs());
        return cmd;
    }

    private void environment(Map<String, String> env, Path report, Path select, String python) {
        env.keySet().removeIf(k -> k.startsWith("CDNODES_"));
        if (!python.equals(settings.python())) {
            // as an activated environment: tests that start "python" or a console script get the environment's
            Path bin = Path.of(python).getParent();
            env.put("VIRTUAL_ENV", bin.getParent().toString());
            String path = env.get("PATH");
            env.put("PATH", bin + (path == null || path.isEmpty() ? "" : File.pathSeparator + path));
            env.remove("PYTHONHOME");
        }
        String inheritedPath = env.get("PYTHONPATH");
        env.putAll(assign.env());
        String userPath = assign.env().getOrDefault("PYTHONPATH", inheritedPath);
        env.put("PYTHONPATH", settings.pluginDir() + (userPath == null || userPath.isEmpty() ? ""
                : File.pathSeparator + userPath));
        env.put("CDNODES_MODE", assign.kind() == AssignmentKind.COLLECT ? "collect" : "run");
        env.put("CDNODES_REPORT", report.toString());
        env.put("CDNODES_SELECT", select.toString());
        env.put("CDNODES_MAX_MESSAGE", Integer.toString(settings.maxMessageChars()));
    }

    private void forward(List<String> lines, List<String> collected) throws IOException {
        for (String line : lines) {
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                continue; // not a record of ours (cannot happen unless the file was tampered with)
            }
            String type = n.path("type").asText();
            if (type.equals("collected")) {
                n.path("nodeids").forEach(id -> collected.add(id.asText()));
            } else if (type.equals("started")) {
                sink.send(new TestStarted(assign.assignmentId(), assign.attempt(), n.path("nodeid").asText()));
            } else if (type.equals("result")) {
                Optional<Outcome> outcome = Outcome.fromWireName(n.path("outcome").asText());
                if (outcome.isPresent()) {
                    double d = n.path("duration").asDouble(0);
                    sink.send(new TestResult(assign.assignmentId(), assign.attempt(), n.path("nodeid").asText(),
                            outcome.get(), Double.isFinite(d) && d >= 0 ? d : 0, n.path("message").asText("")));
                }
            }
        }
    }

    private void sendCollected(List<String> ids) throws IOException {
        List<String> batch = new ArrayList<>();
        long bytes = 0;
        for (String id : ids) {
            batch.add(id);
            bytes += id.length() * 3L + 4;
            if (bytes >= COLLECTED_BATCH_BYTES) {
                sink.send(new Collected(assign.assignmentId(), assign.attempt(), batch));
                batch = new ArrayList<>();
                bytes = 0;
            }
        }
        if (!batch.isEmpty()) {
            sink.send(new Collected(assign.assignmentId(), assign.attempt(), batch));
        }
    }

    private static boolean waitFor(Process p, long millis) {
        try {
            return p.waitFor(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(p);
            return true;
        }
    }

    static void kill(Process p) {
        Subprocess.kill(p);
    }
}
