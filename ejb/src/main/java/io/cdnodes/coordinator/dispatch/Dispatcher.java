package io.cdnodes.coordinator.dispatch;

import io.cdnodes.connector.api.WorkerEvent;
import io.cdnodes.connector.api.WorkerGateway;
import io.cdnodes.coordinator.config.CoordinatorSettings;
import io.cdnodes.coordinator.evaluation.Cancellation;
import io.cdnodes.coordinator.evaluation.Evaluation;
import io.cdnodes.coordinator.evaluation.EvaluationNotFoundException;
import io.cdnodes.coordinator.results.TestOutcome;
import io.cdnodes.coordinator.scheduling.Arrived;
import io.cdnodes.coordinator.scheduling.CollectionReport;
import io.cdnodes.coordinator.scheduling.Decisions;
import io.cdnodes.coordinator.scheduling.Scheduler;
import io.cdnodes.coordinator.scheduling.TestReport;
import io.cdnodes.coordinator.scheduling.WorkerJoined;
import io.cdnodes.coordinator.workers.ConnectedWorkers;
import io.cdnodes.coordinator.workers.WorkerGateways;
import io.cdnodes.protocol.frame.AssignmentDone;
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
import jakarta.ejb.DependsOn;
import jakarta.ejb.Local;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.UserTransaction;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The adapter around the scheduling core ({@link Scheduler}): the one place where scheduling state changes. Every
 * public method runs under the singleton's write lock. Worker frames become the core's events; an event that
 * persists runs in its own transaction (bean-managed): the core decides, {@link DecisionWriter} persists, the
 * transaction commits, the core is told, and only then does the {@link Outbox} send frames, wake views and write
 * result files. When the transaction fails, the core's memory goes back to what it was and nothing is sent.
 *
 * <p>A little over 300 lines on purpose: it has one short method per kind of frame and event, each "lock, turn
 * into the core's event, run in a transaction", and the transaction helper they share; split, the events would
 * be spread over beans that must share the one lock again (what the redesign removed).
 */
@Singleton
@Startup
@DependsOn("SchemaMigrations")
@LocalBean
@Local(Cancellation.class)
@ConcurrencyManagement(ConcurrencyManagementType.CONTAINER)
@TransactionManagement(TransactionManagementType.BEAN)
public class Dispatcher implements Cancellation {

    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());
    private static final int FLUSH_AT = 200;

    @PersistenceContext(unitName = "cdnodes")
    private EntityManager em;

    @Resource
    private UserTransaction tx;

    @Inject
    private WorkerGateways gateways;

    @Inject
    private CoordinatorSettings settings;

    @Inject
    private Clock clock;

    @Inject
    private DispatchTrigger trigger;

    @Inject
    private JpaSchedulingStore store;

    @Inject
    private DecisionWriter writer;

    @Inject
    private Outbox outbox;

    @Inject
    private ConnectedWorkers connected;

    private Scheduler scheduler;
    /** Results received and not yet recorded; flushed within {@link DispatchTrigger#FLUSH_DELAY_MILLIS}. */
    private List<Arrived> arrived = new ArrayList<>();

    /** Loads the live work; what was running when the coordinator last stopped goes back to the queue. */
    @PostConstruct
    void start() {
        scheduler = new Scheduler(store, settings.taskTimeout(), settings.packageRetries(), settings.reportLimits());
        decide(() -> {
            ResultIds.alignSequence(em);
            return scheduler.start(clock.instant());
        });
    }

    // ---- workers ---------------------------------------------------------------------------------------------

    public void workerConnected(WorkerEvent.Connected c) {
        Instant now = clock.instant();
        connected.joined(c, now);
        LOG.log(System.Logger.Level.INFO, "worker={0} conn={1}: joined from {2} ({3} slots, {4}, pytest {5}, {6})",
                c.name(), c.connectionId(), c.remoteAddress(), c.slots(), c.pythonVersion(), c.pytestVersion(),
                c.sandboxed() ? "sandboxed" : "NOT sandboxed");
        outbox.afterCommit(scheduler.joined(new WorkerJoined(c.connectionId(), c.name(), c.remoteAddress(),
                c.localAddress(), c.slots(), c.cachedPackages()), now));
    }

    public void workerGone(String connectionId, String reason) {
        connected.gone(connectionId, clock.instant(), reason);
        List<Arrived> before = takeArrived();
        decide(() -> scheduler.lost(connectionId, reason, before, clock.instant()));
    }

    public void frameReceived(String connectionId, Frame frame) {
        Instant now = clock.instant();
        if (!scheduler.knows(connectionId)) {
            // a connection this coordinator does not know (it restarted its application): make the worker start over
            try (WorkerGateway g = gateways.open()) {
                g.disconnect(connectionId, new ErrorFrame(ErrorCode.UNEXPECTED_FRAME, "unknown session, reconnect"));
            }
            return;
        }
        scheduler.heardFrom(connectionId, now);
        if (frame instanceof Heartbeat) {
            connected.heartbeat(connectionId, now);
        } else if (frame instanceof TestResult r) {
            scheduler.resultArrived(connectionId, new TestReport(r.assignmentId(), r.attempt(), r.nodeId(),
                    TestOutcome.of(r.outcome()), r.durationSeconds(), r.message(), r.report()), now)
                    .ifPresent(this::buffer);
        } else if (frame instanceof TestStarted f) {
            outbox.afterCommit(scheduler.testStarted(connectionId, f.assignmentId(), f.attempt(), f.nodeId(), now));
        } else if (frame instanceof Collected c) {
            scheduler.collected(connectionId, new CollectionReport(c.assignmentId(), c.attempt(), c.nodeIds(),
                    c.nodeIds().isEmpty() ? List.of() : scopes(c)));
        } else if (frame instanceof AssignmentDone d) {
            // every result of the assignment was sent before this frame: record them first, in the same transaction
            List<Arrived> before = takeArrived();
            decide(() -> scheduler.assignmentDone(connectionId, d.assignmentId(), d.attempt(), d.exitCode(),
                    d.detail(), before, now));
            noteBusy(connectionId);
        } else if (frame instanceof PackageAck ack && !ack.accepted()) {
            scheduler.packageRefused(connectionId, ack.packageId(), ack.message());
        } else if (frame instanceof Drain d) {
            connected.draining(connectionId);
            outbox.afterCommit(scheduler.draining(connectionId, d.reason()));
        }
    }

    private static List<String> scopes(Collected c) {
        List<String> out = new ArrayList<>(c.nodeIds().size());
        for (int i = 0; i < c.nodeIds().size(); i++) {
            out.add(c.scopeOf(i));
        }
        return out;
    }

    /** Declares workers that have been silent past the heartbeat timeout gone, and closes their connections. */
    public void expireSilentWorkers() {
        for (String conn : scheduler.silent(clock.instant(), settings.heartbeatTimeout())) {
            try (WorkerGateway g = gateways.open()) {
                g.disconnect(conn, new ErrorFrame(ErrorCode.IDLE_TIMEOUT,
                        "no sign of life for " + settings.heartbeatTimeout().toMillis() + " ms"));
            }
            workerGone(conn, "silent for " + settings.heartbeatTimeout().toMillis() + " ms");
        }
    }

    private void buffer(Arrived a) {
        // recorded in batches: one transaction per result would make the lock the bottleneck
        arrived.add(a);
        if (arrived.size() >= FLUSH_AT) {
            flush();
        } else if (arrived.size() == 1) {
            trigger.flushSoon();
        }
    }

    /** Records the results received since the last flush. */
    public void flushResults() {
        flush();
    }

    /** Records the results received since the last flush, alone; a round follows if they may end a probation. */
    private void flush() {
        if (arrived.isEmpty()) {
            return;
        }
        List<Arrived> batch = takeArrived();
        Decisions d = decide(() -> scheduler.results(batch), false);
        if (d.roundSoon()) {
            trigger.kick();
        }
    }

    /** The results received since the last flush, to be recorded by the next event (in its transaction). */
    private List<Arrived> takeArrived() {
        List<Arrived> out = arrived;
        arrived = new ArrayList<>();
        return out;
    }

    // ---- evaluations -----------------------------------------------------------------------------------------

    @Override
    public boolean cancel(long evaluationId) {
        List<Arrived> before = takeArrived();
        Decisions d = decide(() -> {
            if (em.find(Evaluation.class, evaluationId) == null) {
                throw new EvaluationNotFoundException(evaluationId);
            }
            return scheduler.cancel(evaluationId, before, clock.instant());
        });
        return d.finished().contains(evaluationId);
    }

    /**
     * A fetched repository's package is stored: its project waits for collection now. Ignored when the
     * project is no longer fetching (its evaluation was cancelled meanwhile).
     */
    public void projectFetched(long projectId, String packageId, long packageBytes) {
        decide(() -> scheduler.fetched(projectId, packageId, packageBytes));
    }

    /**
     * A repository could not be fetched: its project fails with the reason, and the evaluation ends if that
     * was its last unfinished project. Runs here, under the lock, so that it and the end of another project
     * of the same evaluation cannot both miss that the evaluation is complete.
     */
    public void projectNotFetched(long projectId, String reason) {
        decide(() -> scheduler.notFetched(projectId, reason, clock.instant()));
    }

    // ---- rounds ----------------------------------------------------------------------------------------------

    /** A round asked for by the {@link DispatchTrigger}. */
    public void onRound(@Observes Round round) {
        if (round == Round.FLUSH) {
            flushResults();
        } else {
            dispatch();
        }
    }

    /** Gives recorded evaluations their collections, then hands pending tasks to workers with free slots. */
    public void dispatch() {
        for (long id : trigger.takeRecorded()) {
            decide(() -> scheduler.submitted(id), false);
        }
        if (!scheduler.hasWorkers()) {
            return;
        }
        List<Arrived> before = takeArrived();
        decide(() -> scheduler.dispatch(before, clock.instant()));
    }

    // ---- transactions ----------------------------------------------------------------------------------------

    private Decisions decide(Supplier<Decisions> event) {
        return decide(event, true);
    }

    /**
     * Runs one event of the core in a transaction: decide, persist, commit, and only then act on the decisions.
     *
     * @param rounds whether the decisions' rounds are asked for (else only the rest is acted on)
     */
    private Decisions decide(Supplier<Decisions> event, boolean rounds) {
        Decisions d;
        try {
            tx.begin();
            d = event.get();
            writer.write(d);
            tx.commit();
        } catch (RuntimeException e) {
            abandon();
            throw e;
        } catch (Exception e) {
            abandon();
            throw new IllegalStateException("transaction failed: " + e.getMessage(), e);
        }
        scheduler.commit();
        for (Decisions.Send send : d.sends()) {
            if (send instanceof Decisions.Assign a) {
                noteBusy(a.connectionId());
            }
        }
        outbox.afterCommit(rounds ? d : new Decisions(d.tasks(), d.projects(), d.evaluations(), d.results(),
                d.attempts(), d.sends(), d.backups(), d.changed(), d.finished(), false, d.roundInMillis()));
        return d;
    }

    /** What {@code /network/nodes} says of the worker's load: the assignments it holds now. */
    private void noteBusy(String connectionId) {
        connected.busy(connectionId, scheduler.worker(connectionId).map(w -> w.running().size()).orElse(0));
    }

    private void abandon() {
        scheduler.rollback();
        try {
            if (tx.getStatus() != jakarta.transaction.Status.STATUS_NO_TRANSACTION) {
                tx.rollback();
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "rollback failed", e);
        }
    }
}
