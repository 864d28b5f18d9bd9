package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.config.ReportLimits;
import io.cdnodes.coordinator.evaluation.ProjectStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The scheduling core: owns what is live (unfinished evaluations, their projects and tasks, the connected workers,
 * what running work has reported, what projects planned blind show), takes events with the current time, and
 * returns {@link Decisions} as values. Plain Java: reads go through the {@link SchedulingStore} port, nothing is
 * written or sent here.
 *
 * <p>Contract: one event at a time (the caller serialises). After an event whose decisions {@linkplain
 * Decisions#persists() persist} something, the caller persists them and calls {@link #commit()} once that has
 * committed, or {@link #rollback()} if it failed, which puts the memory back as it was before the event; only
 * after a commit does it send or announce anything. Events that change memory only commit by themselves.
 *
 * <p>A little over 300 lines on purpose: it is the core's whole event interface (a method per event, each a few
 * lines handing the event to the class whose responsibility it is) with the commit and rollback around them; the
 * policy lives in those classes.
 */
public final class Scheduler {

    private static final System.Logger LOG = System.getLogger(Scheduler.class.getName());

    private final Journal journal = new Journal();
    private final WorkerPool pool = new WorkerPool(journal);
    private final LiveWork work = new LiveWork(journal);
    private final InFlight inFlight = new InFlight(journal);
    private final BlindProjects blind = new BlindProjects(journal, pool);
    private final Finishing finishing = new Finishing(work, blind, inFlight);
    private final Planning planning;
    private final Reports reports;
    private final WorkerLosses losses;
    private final HandOut handOut;
    private final Loading loading;
    private Changes changes;

    /**
     * @param store          where live work is read from
     * @param taskTimeout    how long a pytest process may run (for the message of a run stopped at it)
     * @param packageRetries how many times a task whose worker lacked the package goes back to the queue
     */
    public Scheduler(SchedulingStore store, Duration taskTimeout, int packageRetries) {
        this(store, taskTimeout, packageRetries, ReportLimits.defaults());
    }

    /** @param reportLimits how much of each test's report is kept, per text and per evaluation */
    public Scheduler(SchedulingStore store, Duration taskTimeout, int packageRetries, ReportLimits reportLimits) {
        this.loading = new Loading(journal, work, store);
        this.planning = new Planning(journal, work, pool, blind, store);
        this.reports = new Reports(work, inFlight, planning, finishing, taskTimeout, packageRetries, reportLimits,
                new Reruns(journal, work));
        this.losses = new WorkerLosses(journal, work, inFlight, new LossRecovery(journal), reports, finishing);
        Assignments assignments = new Assignments(work, pool, blind, inFlight);
        this.handOut = new HandOut(journal, work, pool, blind, assignments,
                new TailTwins(journal, work, pool, blind, assignments));
    }

    // ---- start -------------------------------------------------------------------------------------------------

    /**
     * Loads the live work (restart recovery): every unfinished evaluation; tasks left running by the previous
     * coordinator go back to the queue with what is left to run; a queued project whose COLLECT was never made gets
     * one.
     */
    public Decisions start(Instant now) {
        begin();
        loading.start(changes);
        changes.roundSoon();
        return end();
    }

    // ---- workers -----------------------------------------------------------------------------------------------

    /** Whether this connection is a worker this scheduler knows (else it should start over). */
    public boolean knows(String connectionId) {
        return pool.get(connectionId).isPresent();
    }

    /** Whether any worker is connected (a dispatch round with none has nothing to do). */
    public boolean hasWorkers() {
        return pool.size() > 0;
    }

    /** The worker on this connection, if known. */
    public Optional<WorkerPool.Worker> worker(String connectionId) {
        return pool.get(connectionId);
    }

    public Decisions joined(WorkerJoined w, Instant now) {
        return inMemory(() -> {
            pool.add(w, now);
            changes.roundSoon();
        });
    }

    /** A sign of life from the worker. */
    public void heardFrom(String connectionId, Instant now) {
        inMemory(() -> pool.touch(connectionId, now));
    }

    /** Connection ids of the workers silent for at least {@code timeout}: the caller closes them, then {@link #lost}. */
    public List<String> silent(Instant now, Duration timeout) {
        return pool.silent(now, timeout);
    }

    /** A worker is gone: its running tasks are settled ({@link WorkerLosses}). */
    public Decisions lost(String connectionId, String reason, List<Arrived> before, Instant now) {
        begin();
        reports.results(before, changes);
        Optional<WorkerPool.Worker> gone = pool.remove(connectionId);
        int requeued = losses.lost(connectionId, gone.map(WorkerPool.Worker::name).orElse(null),
                gone.map(WorkerPool.Worker::remoteAddress).orElse(null), now, changes);
        gone.ifPresent(w -> LOG.log(System.Logger.Level.INFO, "worker={0} conn={1}: gone ({2}); {3} task(s) back in "
                + "the queue", w.name(), connectionId, reason, requeued));
        changes.roundSoon();
        return end();
    }

    /** The worker drains: it takes no new work, and hands back what it has not started (ASSIGNMENT_DONE -5). */
    public Decisions draining(String connectionId, String reason) {
        return inMemory(() -> {
            pool.get(connectionId).ifPresent(w -> {
                w.drain();
                LOG.log(System.Logger.Level.INFO, "worker={0}: draining ({1})", w.name(), reason);
            });
            changes.roundSoon();
        });
    }

    /** The worker refused a package: it does not hold it. */
    public void packageRefused(String connectionId, String packageId, String message) {
        inMemory(() -> pool.get(connectionId).ifPresent(w -> {
            w.forget(packageId);
            LOG.log(System.Logger.Level.WARNING, "worker={0}: refused package {1}: {2}", w.name(), packageId, message);
        }));
    }

    // ---- reports -----------------------------------------------------------------------------------------------

    /** A test started (memory only: the node that runs matters if the worker is lost, and for a slow start). */
    public Decisions testStarted(String connectionId, long taskId, int attempt, String nodeId, Instant now) {
        return inMemory(() -> {
            if (Reports.fromHolder(pool.get(connectionId).orElse(null), connectionId, taskId, attempt, "TEST_STARTED")) {
                inFlight.started(taskId, nodeId, now);
                if (blind.testStarted(taskId, now)) {
                    // a test of a project on probation: if it is still running in a moment, it is not a tiny one
                    changes.lookAgainIn(SlowStart.LOOK_MILLIS / 1000.0);
                }
            }
        });
    }

    /**
     * A result arrived: accepted from the connection that holds the attempt (and counted at once for a project
     * planned blind), to be recorded with others by {@link #results}; empty when it is ignored.
     */
    public Optional<Arrived> resultArrived(String connectionId, TestReport r, Instant now) {
        WorkerPool.Worker w = pool.get(connectionId).orElse(null);
        if (!Reports.fromHolder(w, connectionId, r.taskId(), r.attempt(), "TEST_RESULT")) {
            return Optional.empty();
        }
        inMemory(() -> blind.resultArrived(r.taskId(), r.duration()));
        Instant started = inFlight.startedAt(r.taskId(), r.nodeId())
                .orElseGet(() -> now.minusMillis(Math.round(Math.max(0, r.duration()) * 1000)));
        return Optional.of(new Arrived(connectionId, w.name(), w.remoteAddress(), r, now, started));
    }

    /** Records results accepted since the last batch. */
    public Decisions results(List<Arrived> arrived) {
        begin();
        reports.results(arrived, changes);
        if (blind.anyOnProbation() && !arrived.isEmpty()) {
            // what the results show may end a probation (SlowStart)
            changes.roundSoon();
        }
        return end();
    }

    /** Node ids a worker collected (memory only until the collection ends). */
    public void collected(String connectionId, CollectionReport report) {
        inMemory(() -> pool.get(connectionId).ifPresent(w -> reports.collected(w, report)));
    }

    /** An assignment ended (ASSIGNMENT_DONE); every result it sent before must have been given to {@link #results}. */
    public Decisions assignmentDone(String connectionId, long taskId, int attempt, int exitCode, String detail,
                                    List<Arrived> before, Instant now) {
        begin();
        reports.results(before, changes);
        pool.get(connectionId).ifPresent(w -> reports.done(w, taskId, attempt, exitCode, detail, now, changes));
        changes.roundSoon();
        return end();
    }

    // ---- evaluations -------------------------------------------------------------------------------------------

    /** An evaluation was recorded: its queued projects get their COLLECT tasks. Ignored when already known. */
    public Decisions submitted(long evaluationId) {
        begin();
        loading.evaluation(evaluationId, changes);
        changes.roundSoon();
        return end();
    }

    /** A fetched repository's package is stored: its project waits for collection now (unless it stopped fetching). */
    public Decisions fetched(long projectId, String packageId, long packageBytes) {
        begin();
        LiveProject p = loading.project(projectId, changes);
        if (p != null && p.status() == ProjectStatus.FETCHING) {
            loading.fetched(p, packageId, packageBytes);
            changes.changed(p.evaluationId());
            changes.roundSoon();
        }
        return end();
    }

    /** A repository could not be fetched: its project fails, and its evaluation ends if that was its last one. */
    public Decisions notFetched(long projectId, String reason, Instant now) {
        begin();
        LiveProject p = loading.project(projectId, changes);
        if (p != null && p.status() == ProjectStatus.FETCHING) {
            p.fail(reason);
            changes.changed(p.evaluationId());
            finishing.finishIfComplete(work.evaluation(p.evaluationId()), now, changes);
        }
        return end();
    }

    /**
     * Cancels an evaluation ({@link Finishing#cancel}). Its decisions list it as finished unless it had finished
     * already.
     */
    public Decisions cancel(long evaluationId, List<Arrived> before, Instant now) {
        begin();
        reports.results(before, changes);
        LiveEvaluation e = loading.evaluation(evaluationId, changes);
        if (e != null) {
            int stopped = finishing.cancel(e, now, changes);
            LOG.log(System.Logger.Level.INFO, "evaluation={0}: cancelled, {1} running task(s) stopped", evaluationId,
                    stopped);
        }
        return end();
    }

    // ---- rounds ------------------------------------------------------------------------------------------------

    /** A dispatch round ({@link HandOut}). */
    public Decisions dispatch(List<Arrived> before, Instant now) {
        begin();
        reports.results(before, changes);
        if (pool.size() > 0) {
            handOut.round(now, changes);
        }
        return end();
    }

    /** Whether a project is on probation (then results may end it: a round after recording them). */
    public boolean anyOnProbation() {
        return blind.anyOnProbation();
    }

    // ---- transactions ------------------------------------------------------------------------------------------

    /** The last event's decisions were persisted and committed. */
    public void commit() {
        journal.commit();
    }

    /** The last event's decisions were not persisted: memory goes back to what it was before the event. */
    public void rollback() {
        journal.rollback();
    }

    private void begin() {
        idle();
        changes = new Changes();
    }

    private void idle() {
        if (!journal.kept().isEmpty()) {
            throw new IllegalStateException("the previous event was neither committed nor rolled back");
        }
    }

    private Decisions end() {
        List<TaskRow> tasks = new ArrayList<>();
        List<ProjectRow> projects = new ArrayList<>();
        List<EvaluationRow> evaluations = new ArrayList<>();
        for (Object o : journal.kept()) {
            if (o instanceof LiveTask t) {
                tasks.add(t.row());
            } else if (o instanceof LiveProject p) {
                projects.add(p.row());
            } else if (o instanceof LiveEvaluation e) {
                evaluations.add(e.row());
            }
        }
        Changes c = changes;
        changes = null;
        return new Decisions(tasks, projects, evaluations, c.results, c.attempts, c.sends, c.backups, c.changed, c.finished,
                c.roundSoon, c.roundInMillis());
    }

    /**
     * An event that changes memory only: nothing to persist, so it commits at once; should it fail half-way, what it
     * changed is put back.
     */
    private Decisions inMemory(Runnable event) {
        begin();
        try {
            event.run();
        } catch (RuntimeException e) {
            changes = null;
            journal.rollback();
            throw e;
        }
        Decisions d = end();
        journal.commit();
        return d;
    }
}
