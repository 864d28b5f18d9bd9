package io.cdnodes.agent.run;

import io.cdnodes.agent.deps.InstallException;
import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.AssignmentKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A RUN assignment handed as one batch to a serving pytest ({@link PytestSession}): an idle session started for
 * the same {@link PytestSessionKey} when there is one, else a new one. When the session cannot run the batch as a
 * fresh run-mode pytest would (collection errors, pytest-xdist, ended before taking it), the assignment runs in
 * a fresh pytest instead ({@link OneShotRun}), within the same time limit. Whatever ended the batch early (a
 * crash, the time limit, cancel, drain, {@code -x}) also ends the session.
 *
 * <p>A COLLECT assignment is answered by a new session's own collection, and the session is kept: the first
 * batches of the project then skip pytest's start-up on this slot. When the session cannot give what a
 * collect-only pytest would (collection errors, nothing collected, it cannot serve), the assignment runs in a
 * collect-only pytest instead, whose answer (errors, exit code) is what the coordinator goes by.
 */
final class ServedRun {

    private static final System.Logger LOG = System.getLogger(ServedRun.class.getName());

    private final PytestRun run;
    private final Assign assign;
    private final PytestSessions sessions;
    private final PytestSessionKey key;
    private final PytestLaunch launch;
    private int notStarted;

    ServedRun(PytestRun run, PytestSessions sessions, PytestSessionKey key) {
        this.run = run;
        this.assign = run.assign();
        this.sessions = sessions;
        this.key = key;
        this.launch = new PytestLaunch(assign, run.settings());
    }

    int execute() throws IOException {
        Optional<PytestSession> idle = sessions.take(key);
        boolean fresh = idle.isEmpty();
        if (assign.kind() == AssignmentKind.COLLECT && !fresh) {
            // its collection was read long ago (a project collected again): a collect-only pytest answers
            sessions.release(idle.get());
            return new OneShotRun(run).execute(OptionalLong.empty());
        }
        PytestSession session = fresh ? start() : idle.get();
        if (session == null) {
            return notStarted;
        }
        if (!fresh) {
            run.times().kept();
        }
        long deadline = launch.deadline();
        if (assign.kind() == AssignmentKind.COLLECT) {
            return collect(session, deadline);
        }
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
        if (fresh) {
            noteReady(session);
        }
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

    private int collect(PytestSession session, long deadline) throws IOException {
        run.attach(session.process(), session.stopFile());
        ReportRecords records = new ReportRecords(assign, run.sink());
        PytestSession.Readiness r;
        try {
            r = session.awaitReady(deadline, run::cancelled, records);
        } catch (IOException | RuntimeException e) {
            sessions.discard(session, "its assignment failed: " + e);
            throw e;
        }
        run.detach();
        noteReady(session);
        switch (r.ending()) {
            case DONE -> {
                if (run.cancelled()) {
                    sessions.discard(session, "its assignment was cancelled");
                    return run.done(AssignmentDone.EXIT_CANCELLED, "");
                }
                if (records.overflowed()) {
                    sessions.discard(session, "its collection was too large");
                    return run.done(PytestRun.EXIT_INTERNAL_ERROR, ReportRecords.overflowReason());
                }
                if (r.collected() > 0 && records.collectedCount() == r.collected()) {
                    try {
                        records.sendCollected();
                    } catch (IOException | RuntimeException e) {
                        sessions.discard(session, "its assignment failed: " + e);
                        throw e;
                    }
                    if (run.draining()) {
                        sessions.discard(session, "the worker drains");
                    } else {
                        sessions.release(session);
                    }
                    return run.done(0, "");
                }
                // nothing collected: pytest's own answer (exit code 5, or what else it says) is what counts
                sessions.discard(session, "it collected nothing");
            }
            case NOT_TAKEN -> {
                sessions.discard(session, r.reason());
                if (run.cancelled()) {
                    // it was killed by the cancel: nothing to learn about the project, nothing to collect
                    return run.done(AssignmentDone.EXIT_CANCELLED, "");
                }
                sessions.markUnservable(key);
            }
            default -> {
                // cancelled or timed out: the agent ended it, pytest has nothing to say
                int exit = run.exitCode(r.ending() == PytestSession.Ending.TIMED_OUT, 0);
                sessions.discard(session, "its collection ended " + r.ending());
                return run.done(exit, "");
            }
        }
        LOG.log(System.Logger.Level.INFO, "assignment={0}: {1}; collecting in a collect-only pytest",
                assign.assignmentId(), r.reason().isEmpty() ? "the pytest session collected nothing" : r.reason());
        return new OneShotRun(run).execute(OptionalLong.of(deadline));
    }

    /** A new session's readiness, when it got that far, goes into the assignment's times. */
    private void noteReady(PytestSession session) {
        if (session.readyAtNanos() != 0) {
            run.times().ready(session.readyAtNanos(), session.collectMillis());
        }
    }

    /**
     * A new session for the key, or null when it could not be started: the assignment is then done, with
     * {@link #notStarted}.
     */
    private PytestSession start() throws IOException {
        Path runs = run.settings().runsDir();
        // an interpreter started ahead waits in the folder of the session that claims it
        WarmInterpreter claim = launch.knownInterpreter()
                .map(python -> sessions.warmStarts().claim(launch.builder(python, runs, "serve", Map.of()),
                        launch.shape(python), run.settings().sandbox(), runs))
                .orElse(null);
        long id = claim != null ? claim.id() : sessions.nextId();
        PytestSession session = new PytestSession(id, key, runs.resolve("s" + id), run.settings().maxOutputBytes());
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
            run.times().copied();
            try {
                // once it has collected, its start-up no longer competes with the next session's interpreter
                session.whenReady(sessions.warmStarts().sessionStarting());
                session.start(sessions.warmStarts().start(launch.builder(python, session.project(), "serve",
                        session.variables(sessions.pluginIdleSeconds(), assign.kind() == AssignmentKind.COLLECT)),
                        launch.sandbox(python, session.dir()), run.settings().sandbox(), claim));
                claim = null;
            } catch (IOException e) {
                notStarted = run.done(AssignmentDone.EXIT_NOT_STARTED, "cannot start " + python + ": "
                        + e.getMessage());
                return null;
            }
            started = true;
            run.times().startedAs(session.warm() ? AssignmentTimes.Start.WARM : AssignmentTimes.Start.COLD);
            sessions.add(session);
            LOG.log(System.Logger.Level.INFO, "assignment={0}: {1} started", assign.assignmentId(), session);
            return session;
        } finally {
            if (!started) {
                sessions.abandon();
                if (claim != null) {
                    claim.abandon();
                }
                session.close();
            }
        }
    }
}
