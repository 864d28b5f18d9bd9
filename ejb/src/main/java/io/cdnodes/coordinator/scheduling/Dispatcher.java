package io.cdnodes.coordinator.scheduling;

import io.cdnodes.connector.api.WorkerEvent;
import io.cdnodes.connector.api.WorkerGateway;
import io.cdnodes.connector.api.WorkerGatewayFactory;
import io.cdnodes.coordinator.config.CoordinatorSettings;
import io.cdnodes.coordinator.evaluation.Evaluation;
import io.cdnodes.coordinator.evaluation.EvaluationNotFoundException;
import io.cdnodes.coordinator.evaluation.EvaluationSignals;
import io.cdnodes.coordinator.evaluation.EvaluationStatus;
import io.cdnodes.coordinator.evaluation.Project;
import io.cdnodes.coordinator.evaluation.ProjectStatus;
import io.cdnodes.coordinator.health.CoordinatorMetrics;
import io.cdnodes.coordinator.results.ResultFiles;
import io.cdnodes.coordinator.results.ResultLedger;
import io.cdnodes.coordinator.workers.ConnectedWorkers;
import io.cdnodes.coordinator.workers.WorkerPool;
import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.Cancel;
import io.cdnodes.protocol.frame.Collected;
import io.cdnodes.protocol.frame.Drain;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Heartbeat;
import io.cdnodes.protocol.frame.PackageAck;
import io.cdnodes.protocol.frame.TestResult;
import io.cdnodes.protocol.frame.TestStarted;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.UserTransaction;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The one place where scheduling state changes. Every public method runs under the singleton's write lock
 * and commits its own transaction before it returns (bean-managed), so the next caller always sees what the
 * previous one decided; after each commit, live views are woken and finished evaluations' result files
 * written. The work itself is done by {@link Assigner} (who runs what), {@link Completion} (what workers
 * report) and {@link WorkerLoss} (workers that are gone), with decisions in plain classes
 * ({@link DynamicPlanner}, {@link RoundRobinPlanner}, {@link Recovery}, {@link TaskOutcomes}).
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.CONTAINER)
@TransactionManagement(TransactionManagementType.BEAN)
public class Dispatcher {

    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

    @PersistenceContext(unitName = "cdnodes")
    private EntityManager em;

    @Resource
    private UserTransaction tx;

    @Resource(lookup = "java:app/cdnodes/WorkerGateway")
    private WorkerGatewayFactory gateways;

    @Inject
    private CoordinatorSettings settings;

    @Inject
    private Clock clock;

    @Inject
    private DispatchTrigger trigger;


    @Inject
    private Assigner assigner;

    @Inject
    private Completion completion;

    @Inject
    private WorkerLoss losses;

    @Inject
    private BackupPairs backups;

    @Inject
    private ConnectedWorkers connected;

    @Inject
    private EvaluationSignals signals;

    @Inject
    private ResultFiles resultFiles;

    @Inject
    private ResultLedger ledger;

    @Inject
    private CoordinatorMetrics metrics;

    private final DispatchState state = new DispatchState();
    /** Results received and not yet recorded; flushed within {@link DispatchTrigger#FLUSH_DELAY_MILLIS}. */
    private List<Completion.Arrived> arrived = new ArrayList<>();
    private static final int FLUSH_AT = 200;

    /** Work that was running when the coordinator last stopped goes back to the queue. */
    @PostConstruct
    void recover() {
        int n = inTx(() -> {
            List<Task> running = em.createQuery("select t from Task t where t.state = :s", Task.class)
                    .setParameter("s", TaskState.RUNNING).getResultList();
            for (Task t : running) {
                t.requeue(completion.leftToRun(t));
            }
            return running.size();
        });
        if (n > 0) {
            LOG.log(System.Logger.Level.INFO, "requeued {0} task(s) left running by the previous coordinator", n);
        }
        trigger.kick();
    }

    // ---- workers ---------------------------------------------------------------------------------------------

    public void workerConnected(WorkerEvent.Connected c) {
        Instant now = clock.instant();
        state.pool.add(c, now);
        connected.joined(c, now);
        LOG.log(System.Logger.Level.INFO, "worker={0} conn={1}: joined from {2} ({3} slots, {4}, pytest {5}, {6})",
                c.name(), c.connectionId(), c.remoteAddress(), c.slots(), c.pythonVersion(), c.pytestVersion(),
                c.sandboxed() ? "sandboxed" : "NOT sandboxed");
        trigger.kick();
    }

    public void workerGone(String connectionId, String reason) {
        Optional<WorkerPool.Worker> gone = state.pool.remove(connectionId);
        connected.gone(connectionId);
        int requeued = inTx(() -> {
            completion.results(state, takeArrived());
            return losses.lost(state, connectionId, gone.map(WorkerPool.Worker::name).orElse(null),
                    gone.map(WorkerPool.Worker::remoteAddress).orElse(null));
        });
        gone.ifPresent(w -> LOG.log(System.Logger.Level.INFO,
                "worker={0} conn={1}: gone ({2}); {3} task(s) back in the queue", w.name(), connectionId, reason, requeued));
        trigger.kick();
    }

    public void frameReceived(String connectionId, Frame frame) {
        Instant now = clock.instant();
        Optional<WorkerPool.Worker> worker = state.pool.get(connectionId);
        if (worker.isEmpty()) {
            // a session this coordinator does not know (it restarted its application): make the worker start over
            try (WorkerGateway g = gateways.getGateway()) {
                g.disconnect(connectionId, new ErrorFrame(ErrorCode.UNEXPECTED_FRAME, "unknown session, reconnect"));
            }
            return;
        }
        state.pool.touch(connectionId, now);
        if (frame instanceof Heartbeat) {
            connected.heartbeat(connectionId, now);
            return;
        }
        WorkerPool.Worker w = worker.get();
        if (!fromHolder(w, frame)) {
            return;
        }
        if (frame instanceof TestResult r) {
            state.resultArrived(r.assignmentId(), r.durationSeconds());
            // recorded in batches: one transaction per result would make the lock the bottleneck
            arrived.add(new Completion.Arrived(w, r, now));
            if (arrived.size() >= FLUSH_AT) {
                flushResults();
            } else if (arrived.size() == 1) {
                trigger.flushSoon();
            }
        } else if (frame instanceof TestStarted f) {
            completion.started(state, w, f);
            if (state.testStarted(f.assignmentId(), now)) {
                // a test of a project on probation: if it is still running in a moment, it is not a tiny one
                trigger.kickAfter(SlowStart.LOOK_MILLIS);
            }
        } else if (frame instanceof Collected c) {
            completion.collected(state, w, c);
        } else if (frame instanceof AssignmentDone d) {
            // every result of the assignment was sent before this frame: record them first
            try (WorkerGateway g = gateways.getGateway()) {
                inTx(() -> run(() -> {
                    completion.results(state, takeArrived());
                    completion.done(state, w, d, now, g);
                }));
            }
            trigger.kick();
        } else if (frame instanceof PackageAck ack && !ack.accepted()) {
            w.forget(ack.packageId());
            LOG.log(System.Logger.Level.WARNING, "worker={0}: refused package {1}: {2}", w.name(), ack.packageId(),
                    ack.message());
        } else if (frame instanceof Drain d) {
            w.drain();
            LOG.log(System.Logger.Level.INFO, "worker={0}: draining ({1})", w.name(), d.reason());
            trigger.kick();
        }
    }

    /**
     * Whether a TEST_STARTED or TEST_RESULT comes from the connection that holds the attempt it names (other frames
     * pass; COLLECTED and ASSIGNMENT_DONE are judged where they are applied). Any other is a forgery or a mistake:
     * it is logged and changes nothing.
     */
    private static boolean fromHolder(WorkerPool.Worker w, Frame frame) {
        long task;
        int attempt;
        if (frame instanceof TestResult r) {
            task = r.assignmentId();
            attempt = r.attempt();
        } else if (frame instanceof TestStarted f) {
            task = f.assignmentId();
            attempt = f.attempt();
        } else {
            return true;
        }
        if (w.isAssigned(task, attempt)) {
            return true;
        }
        LOG.log(System.Logger.Level.WARNING, "conn={0} worker={1}: {2} for task {3} attempt {4}, which this connection "
                + "does not hold; ignored", w.connectionId(), w.name(), frame.type(), Long.toString(task), attempt);
        return false;
    }

    /** Declares workers that have been silent past the heartbeat timeout gone, and closes their connections. */
    public void expireSilentWorkers() {
        for (String conn : state.pool.silent(clock.instant(), settings.heartbeatTimeout())) {
            try (WorkerGateway g = gateways.getGateway()) {
                g.disconnect(conn, new ErrorFrame(ErrorCode.IDLE_TIMEOUT,
                        "no sign of life for " + settings.heartbeatTimeout().toMillis() + " ms"));
            }
            workerGone(conn, "silent for " + settings.heartbeatTimeout().toMillis() + " ms");
        }
    }

    /** Records the results received since the last flush. */
    public void flushResults() {
        if (!arrived.isEmpty()) {
            inTx(() -> run(() -> completion.results(state, takeArrived())));
            if (!state.probation.isEmpty()) {
                // what the results show may end a probation (SlowStart)
                trigger.kick();
            }
        }
    }

    private List<Completion.Arrived> takeArrived() {
        List<Completion.Arrived> out = arrived;
        arrived = new ArrayList<>();
        return out;
    }

    // ---- evaluations -----------------------------------------------------------------------------------------

    /**
     * Cancels an evaluation: its running pytest processes are stopped (CANCEL to their workers), its queued
     * work is dropped, and its unfinished projects end as cancelled. Results already recorded are kept.
     *
     * @return false when the evaluation had already finished
     */
    public boolean cancel(long evaluationId) {
        List<String[]> stops = new ArrayList<>();
        boolean cancelled = inTx(() -> {
            completion.results(state, takeArrived());
            Evaluation e = em.find(Evaluation.class, evaluationId);
            if (e == null) {
                throw new EvaluationNotFoundException(evaluationId);
            }
            if (e.getStatus().terminal()) {
                return false;
            }
            for (Task t : em.createQuery("select t from Task t where t.project.evaluation = :e and t.state <> :d",
                    Task.class).setParameter("e", e).setParameter("d", TaskState.DONE).getResultList()) {
                if (t.getState() == TaskState.RUNNING) {
                    stops.add(new String[] {t.getRunningOn(), Long.toString(t.getId())});
                }
                state.forgetTask(t.getId());
                backups.ended(t.getId());
                t.done();
            }
            for (Project p : e.getProjects()) {
                state.forgetProject(p.getId());
                if (!p.getStatus().terminal()) {
                    p.setStatus(ProjectStatus.CANCELLED);
                }
            }
            e.finished(EvaluationStatus.CANCELLED, clock.instant());
            state.finished(evaluationId);
            return true;
        });
        try (WorkerGateway g = gateways.getGateway()) {
            // the worker answers with ASSIGNMENT_DONE, which frees its slot; until then the slot stays taken
            stops.forEach(s -> g.send(s[0], new Cancel(Long.parseLong(s[1]), "the evaluation was cancelled")));
        }
        if (cancelled) {
            LOG.log(System.Logger.Level.INFO, "evaluation={0}: cancelled, {1} running task(s) stopped", evaluationId,
                    stops.size());
        }
        return cancelled;
    }

    /**
     * A fetched repository's package is stored: its project waits for collection now. Ignored when the
     * project is no longer fetching (its evaluation was cancelled meanwhile).
     */
    public void projectFetched(long projectId, String packageId, long packageBytes) {
        boolean queued = inTx(() -> {
            Project p = em.find(Project.class, projectId);
            if (p == null || p.getStatus() != ProjectStatus.FETCHING) {
                return false;
            }
            p.fetched(packageId, packageBytes);
            em.persist(new Task(p, TaskKind.COLLECT, List.of(), null));
            state.touched(p.getEvaluation().getId());
            return true;
        });
        if (queued) {
            trigger.kick();
        }
    }

    /**
     * A repository could not be fetched: its project fails with the reason, and the evaluation ends if that
     * was its last unfinished project. Runs here, under the lock, so that it and the end of another project
     * of the same evaluation cannot both miss that the evaluation is complete.
     */
    public void projectNotFetched(long projectId, String reason) {
        inTx(() -> run(() -> {
            Project p = em.find(Project.class, projectId);
            if (p != null && p.getStatus() == ProjectStatus.FETCHING) {
                p.fail(reason);
                state.touched(p.getEvaluation().getId());
                completion.finishEvaluationIfComplete(state, p.getEvaluation());
            }
        }));
    }

    // ---- dispatching -----------------------------------------------------------------------------------------

    /** Hands pending tasks to workers with free slots (see {@link Assigner}). */
    public void dispatch() {
        if (state.pool.size() == 0) {
            return;
        }
        try (WorkerGateway g = gateways.getGateway()) {
            inTx(() -> run(() -> {
                completion.results(state, takeArrived());
                assigner.dispatch(state, g);
            }));
        }
    }

    // ---- transactions ----------------------------------------------------------------------------------------

    private static Object run(Runnable r) {
        r.run();
        return null;
    }

    private <T> T inTx(Supplier<T> work) {
        try {
            tx.begin();
            T result = work.get();
            tx.commit();
            afterCommit();
            return result;
        } catch (RuntimeException e) {
            rollbackQuietly();
            throw e;
        } catch (Exception e) {
            rollbackQuietly();
            throw new IllegalStateException("transaction failed: " + e.getMessage(), e);
        }
    }

    /**
     * Wakes live views of what changed, writes the result files of what finished and asks for the delayed rounds
     * decided, once it is committed.
     */
    private void afterCommit() {
        // a decision that falls due later (SlowStart) gets a round then, whether or not an event comes
        state.takeLookIn().ifPresent(trigger::kickAfter);
        List<Set<Long>> changes = state.drainChanges();
        changes.get(0).forEach(signals::changed);
        for (long id : changes.get(1)) {
            resultFiles.writeSoon(id);
            metrics.evaluationFinished();
        }
    }

    private void rollbackQuietly() {
        state.drainChanges();
        ledger.rolledBack();
        try {
            if (tx.getStatus() != jakarta.transaction.Status.STATUS_NO_TRANSACTION) {
                tx.rollback();
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "rollback failed", e);
        }
    }
}
