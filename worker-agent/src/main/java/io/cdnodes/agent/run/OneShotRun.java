package io.cdnodes.agent.run;

import io.cdnodes.agent.deps.InstallException;
import io.cdnodes.agent.packages.Folders;
import io.cdnodes.agent.process.BoundedOutput;
import io.cdnodes.agent.process.Subprocess;
import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.AssignmentKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

/**
 * An assignment in a pytest process of its own, started for it and ended with it: every COLLECT, and a RUN
 * when sessions are off or cannot serve its project. The private copy of the project is deleted at the end. On a
 * sandboxed worker the process is bubblewrap's: killing it ends the sandbox's PID namespace, and with it every
 * process the tests started.
 */
final class OneShotRun {

    private static final long POLL_MILLIS = 50;

    private final PytestRun run;
    private final Assign assign;
    private final RunSettings settings;

    OneShotRun(PytestRun run) {
        this.run = run;
        this.assign = run.assign();
        this.settings = run.settings();
    }

    /**
     * @param deadline the pytest deadline when a failed session already started the clock; otherwise it starts
     *                 once the interpreter is ready
     */
    int execute(OptionalLong deadline) throws IOException {
        Path runDir = settings.runsDir().resolve("a" + assign.assignmentId() + "-" + assign.attempt());
        Path project = runDir.resolve("project");
        Path report = runDir.resolve("report.jsonl");
        Path select = runDir.resolve("select.txt");
        PytestLaunch launch = new PytestLaunch(assign, settings);
        Process process = null;
        try {
            try {
                launch.copyProject(run.packageDir(), runDir, project);
                if (assign.kind() == AssignmentKind.RUN) {
                    Folders.writeFresh(select, assign.nodeIds());
                }
            } catch (IOException e) {
                // every assignment ends with ASSIGNMENT_DONE, also when its private copy cannot be made
                return run.done(AssignmentDone.EXIT_NOT_STARTED, "cannot prepare the run: " + e);
            }
            String python;
            try {
                python = launch.interpreter(project, run::cancelled);
            } catch (InstallException e) {
                return run.done(e.cancelled() ? AssignmentDone.EXIT_CANCELLED : AssignmentDone.EXIT_NOT_STARTED,
                        e.getMessage());
            }
            run.times().oneShot();
            Path stop = runDir.resolve("stop");
            ProcessBuilder pb = launch.builder(python, project,
                    assign.kind() == AssignmentKind.COLLECT ? "collect" : "run",
                    Map.of("CDNODES_REPORT", report.toString(), "CDNODES_SELECT", select.toString(),
                            "CDNODES_STOP", stop.toString()));
            try {
                process = launch.start(pb, python);
            } catch (IOException e) {
                return run.done(AssignmentDone.EXIT_NOT_STARTED, "cannot start " + python + ": " + e.getMessage());
            }
            run.attach(process, stop);
            return follow(process, report, deadline.orElse(launch.deadline()));
        } finally {
            if (process != null && process.isAlive()) {
                Subprocess.kill(process);
            }
            Folders.deleteQuietly(runDir);
        }
    }

    private int follow(Process process, Path report, long deadline) throws IOException {
        process.getOutputStream().close();
        BoundedOutput output = new BoundedOutput(process.getInputStream(), settings.maxOutputBytes(),
                "pytest-output-" + assign.assignmentId());
        ReportRecords records = new ReportRecords(assign, run.sink());
        ReportTailer tailer = new ReportTailer(report);
        boolean timedOut = false;
        while (!Subprocess.exitedWithin(process, POLL_MILLIS)) {
            records.forward(tailer.poll());
            if (System.nanoTime() - deadline > 0) {
                timedOut = true;
                Subprocess.kill(process);
            }
        }
        try {
            output.await(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        records.forward(tailer.poll());
        int exit = run.exitCode(timedOut, process.exitValue());
        if (assign.kind() == AssignmentKind.COLLECT) {
            if (records.overflowed()) {
                return run.done(PytestRun.EXIT_INTERNAL_ERROR, ReportRecords.overflowReason());
            }
            records.sendCollected();
        }
        return run.done(exit, PytestRun.failedAsProgram(exit) ? output.tail(PytestRun.DETAIL_CHARS) : "");
    }
}
