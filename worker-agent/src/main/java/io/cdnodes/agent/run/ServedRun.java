package io.cdnodes.agent.run;

import io.cdnodes.agent.deps.InstallException;
import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentDone;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A RUN assignment handed as one batch to a serving pytest ({@link PytestSession}): an idle session started for
 * the same {@link SessionKey} when there is one, else a new one. When the session cannot run the batch as a
 * fresh run-mode pytest would (collection errors, pytest-xdist, ended before taking it), the assignment runs in
 * a fresh pytest instead ({@link OneShotRun}), within the same time limit. Whatever ended the batch early (a
 * crash, the time limit, cancel, drain, {@code -x}) also ends the session.
 */
final class ServedRun {

    private static final System.Logger LOG = System.getLogger(ServedRun.class.getName());

    private final PytestRun run;
    private final Assign assign;
    private final Sessions sessions;
    private final SessionKey key;
    private final PytestLaunch launch;
    private int notStarted;

    ServedRun(PytestRun run, Sessions sessions, SessionKey key) {
        this.run = run;
        this.assign = run.assign();
        this.sessions = sessions;
        this.key = key;
        this.launch = new PytestLaunch(assign, run.settings());
    }

    int execute() throws IOException {
        Optional<PytestSession> idle = sessions.take(key);
        boolean fresh = idle.isEmpty();
        PytestSession session = fresh ? start() : idle.get();
        if (session == null) {
            return notStarted;
        }
        long deadline = launch.deadline();
        run.attach(session.process(), session.stopFile());
        long mark = session.outputMark();
        PytestSession.BatchEnd end;
        try {
            end = session.runBatch(assign.nodeIds(), deadline, run::cancelled, new ReportRecords(assign, run.sink()));
        } catch (IOException | RuntimeException e) {
            // the connection is gone (or the folder is): the batch may still be running, so nothing is known
            sessions.discard(session, "its assignment failed: " + e);
            throw e;
        }
        // from here a CANCEL or DRAIN no longer reaches the process, which the next assignment may be using
        run.detach();
        int exit;
        switch (end.ending()) {
            case DONE -> {
                exit = run.exitCode(false, end.exitCode());
                if (run.cancelled() || run.draining()) {
                    sessions.discard(session, run.draining() ? "the worker drains" : "its assignment was cancelled");
                } else {
                    sessions.release(session);
                }
            }
            case NOT_TAKEN -> {
                sessions.discard(session, end.reason());
                if (fresh) {
                    sessions.markUnservable(key);
                }
                LOG.log(System.Logger.Level.INFO, "assignment={0}: {1}; running it in a fresh pytest",
                        assign.assignmentId(), end.reason());
                return new OneShotRun(run).execute(OptionalLong.of(deadline));
            }
            default -> {
                exit = run.exitCode(end.ending() == PytestSession.Ending.TIMED_OUT, end.exitCode());
                sessions.discard(session, "its batch ended " + end.ending() + " (exit code " + exit + ")");
            }
        }
        return run.done(exit, PytestRun.failedAsProgram(exit) ? session.tail(PytestRun.DETAIL_CHARS, mark) : "");
    }

    /**
     * A new session for the key, or null when it could not be started: the assignment is then done, with
     * {@link #notStarted}.
     */
    private PytestSession start() throws IOException {
        long id = sessions.nextId();
        PytestSession session = new PytestSession(id, key, run.settings().runsDir().resolve("s" + id),
                run.settings().maxOutputBytes());
        boolean started = false;
        try {
            try {
                launch.copyProject(run.packageDir(), session.dir(), session.project());
            } catch (IOException e) {
                notStarted = run.done(AssignmentDone.EXIT_NOT_STARTED, "cannot prepare the run: " + e);
                return null;
            }
            String python;
            try {
                python = launch.interpreter(session.project(), run::cancelled);
            } catch (InstallException e) {
                notStarted = run.done(e.cancelled() ? AssignmentDone.EXIT_CANCELLED
                        : AssignmentDone.EXIT_NOT_STARTED, e.getMessage());
                return null;
            }
            try {
                session.start(launch.builder(python, session.project(), "serve",
                        session.variables(sessions.pluginIdleSeconds())));
            } catch (IOException e) {
                notStarted = run.done(AssignmentDone.EXIT_NOT_STARTED, "cannot start " + python + ": "
                        + e.getMessage());
                return null;
            }
            started = true;
            sessions.add(session);
            LOG.log(System.Logger.Level.INFO, "assignment={0}: {1} started", assign.assignmentId(), session);
            return session;
        } finally {
            if (!started) {
                sessions.abandon();
                session.close();
            }
        }
    }
}
