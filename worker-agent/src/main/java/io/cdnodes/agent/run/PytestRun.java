package io.cdnodes.agent.run;

import io.cdnodes.agent.process.Subprocess;
import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.AssignmentKind;
import io.cdnodes.protocol.frame.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * One assignment: pytest ({@code python -m pytest -p cdnodes_pytest_plugin <the user's args>}) in a private copy
 * of the project, results streamed as the plugin reports them, then ASSIGNMENT_DONE. With {@link PytestSessions}, a RUN
 * goes to a serving pytest kept from an earlier assignment with the same package, arguments, variables and
 * directives when there is one, and a COLLECT to a new serving pytest that is kept for the RUNs after it
 * ({@link ServedRun}); without, every assignment gets a pytest of its own ({@link OneShotRun}). Either way pytest is killed (with its children) at the assignment's time limit or on
 * cancel, and its output is kept only up to a bound. With the directive {@link Assign#INSTALL_DEPS}, the
 * project's declared test dependencies are made ready first (with a time limit of their own, as long as
 * pytest's) and pytest runs with that environment's Python; when that fails, the assignment ends with
 * {@link AssignmentDone#EXIT_NOT_STARTED} and pip's words as detail.
 *
 * <p>{@link #execute()} runs on a slot's thread; {@link #cancel()} and {@link #drain()} may come from any thread.
 */
public final class PytestRun {

    /** Where frames go; throws when the connection is gone. */
    @FunctionalInterface
    public interface FrameSink {
        void send(Frame frame) throws IOException;
    }

    static final int DETAIL_CHARS = 8000;
    /** pytest's exit code for an internal error; also what a collection past the worker's bounds ends with. */
    static final int EXIT_INTERNAL_ERROR = 3;

    private final Assign assign;
    private final Path packageDir;
    private final RunSettings settings;
    private final FrameSink sink;
    private final PytestSessions sessions;
    private final AssignmentTimes times = new AssignmentTimes(System::nanoTime);
    private volatile boolean cancelled;
    private volatile boolean draining;
    /** The pytest running this assignment's tests, while it does; guarded by this. */
    private Process process;
    private Path stopFile;

    /** A run in a pytest of its own, whatever its kind. */
    public PytestRun(Assign assign, Path packageDir, RunSettings settings, FrameSink sink) {
        this(assign, packageDir, settings, sink, PytestSessions.none());
    }

    public PytestRun(Assign assign, Path packageDir, RunSettings settings, FrameSink sink, PytestSessions sessions) {
        this.assign = assign;
        this.packageDir = packageDir;
        this.settings = settings;
        this.sink = sink;
        this.sessions = sessions;
    }

    public Assign assign() {
        return assign;
    }

    /** Stops the run: its pytest is killed and it reports {@link AssignmentDone#EXIT_CANCELLED}. */
    public synchronized void cancel() {
        cancelled = true;
        if (process != null) {
            Subprocess.kill(process);
        }
    }

    /**
     * The worker is leaving: a run not started yet does not start; a running pytest finishes the test it is
     * running and stops. Either way the run reports {@link AssignmentDone#EXIT_DRAINED}, so that the
     * coordinator hands its remaining nodes to other workers.
     */
    public synchronized void drain() {
        draining = true;
        if (stopFile != null) {
            try {
                Files.createFile(stopFile);
            } catch (IOException e) {
                // already there, or the run is ending anyway
            }
        }
    }

    /** Runs to the end and sends every frame of the assignment; returns the exit code reported. */
    public int execute() throws IOException {
        times.slotted();
        if (draining) {
            return done(AssignmentDone.EXIT_DRAINED, "");
        }
        if (cancelled) {
            // cancelled while it waited for a slot
            return done(AssignmentDone.EXIT_CANCELLED, "");
        }
        if (sessions.enabled()) {
            PytestSessionKey key = PytestSessionKey.of(assign);
            if (sessions.servable(key)) {
                return new ServedRun(this, sessions, key).execute();
            }
        }
        return new OneShotRun(this).execute(OptionalLong.empty());
    }

    /** Where its time went so far (all of it once it is done). */
    AssignmentTimes times() {
        return times;
    }

    Path packageDir() {
        return packageDir;
    }

    RunSettings settings() {
        return settings;
    }

    FrameSink sink() {
        return sink;
    }

    boolean cancelled() {
        return cancelled;
    }

    boolean draining() {
        return draining;
    }

    /** The pytest now running this assignment, and its stop file: what cancel and drain act on. */
    synchronized void attach(Process p, Path stop) {
        process = p;
        stopFile = stop;
        if (cancelled) {
            Subprocess.kill(p);
        }
        if (draining) {
            drain();
        }
    }

    /** Cancel and drain no longer touch the process: a serving pytest may go on to another assignment. */
    synchronized void detach() {
        process = null;
        stopFile = null;
    }

    /**
     * The exit code to report: what the agent did to pytest (time limit, cancel, drain) wins over what pytest
     * said, as pytest could not finish by itself.
     */
    int exitCode(boolean timedOut, int pytestExit) {
        return timedOut ? AssignmentDone.EXIT_TIMEOUT : cancelled ? AssignmentDone.EXIT_CANCELLED
                : draining && assign.kind() == AssignmentKind.RUN ? AssignmentDone.EXIT_DRAINED
                : pytestExit;
    }

    /**
     * Whether pytest failed as a program (interrupted, internal or usage error, a crash), when its own words go
     * along as detail; not for test failures, no tests, or what the agent itself ended.
     */
    static boolean failedAsProgram(int exit) {
        return exit > 1 && exit != 5;
    }

    /** Sends the ASSIGNMENT_DONE that ends every assignment; returns its exit code. */
    int done(int exit, String detail) throws IOException {
        detach();
        times.ended();
        sink.send(new AssignmentDone(assign.assignmentId(), assign.attempt(), exit, detail));
        return exit;
    }
}
