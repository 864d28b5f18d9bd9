package io.cdnodes.coordinator.scheduling;

import io.cdnodes.connector.api.WorkerEvent;
import io.cdnodes.connector.api.WorkerGateway;
import io.cdnodes.connector.api.WorkerGatewayFactory;
import io.cdnodes.coordinator.config.CoordinatorSettings;
import io.cdnodes.coordinator.evaluation.Evaluation;
import io.cdnodes.coordinator.evaluation.EvaluationNotFoundException;
import io.cdnodes.coordinator.evaluation.EvaluationSignals;
import io.cdnodes.coordinator.evaluation.EvaluationStatus;
import io.cdnodes.coordinator.evaluation.OptionsJson;
import io.cdnodes.coordinator.evaluation.Project;
import io.cdnodes.coordinator.health.CoordinatorMetrics;
import io.cdnodes.coordinator.evaluation.ProjectStatus;
import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.coordinator.intake.PackageStore;
import io.cdnodes.coordinator.results.ResultFiles;
import io.cdnodes.coordinator.results.ResultLedger;
import io.cdnodes.coordinator.workers.WorkerPool;
import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.AssignmentKind;
import io.cdnodes.protocol.frame.Cancel;
import io.cdnodes.protocol.frame.Collected;
import io.cdnodes.protocol.frame.Drain;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.PackageAck;
import io.cdnodes.protocol.frame.TestResult;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Applies scheduling decisions to the database and the workers. Every method runs under the singleton's
 * write lock and commits its own transaction before it returns (bean-managed), so the next caller always
 * sees what the previous one decided. Pushes go through the adapter's {@link WorkerGateway}; they never
 * block. The decisions themselves live in {@link WorkerPool}, {@link RoundRobinPlanner} and
 * {@link TaskOutcomes}.
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
    private PackageStore store;

    @Inject
    private Clock clock;

    @Inject
    private DispatchTrigger trigger;

    @Inject
    private ResultLedger ledger;

    private final WorkerPool pool = new WorkerPool();
    /** Node ids reported so far by running COLLECT tasks, by task id. */
    private final Map<Long, List<String>> collecting = new HashMap<>();
    private final Map<Long, RunOptions> optionsByEvaluation = new HashMap<>();
    /** Evaluations changed, and finished, by the transaction in progress; acted on after it commits. */
    private final Set<Long> touched = new HashSet<>();
    private final Set<Long> finishedNow = new HashSet<>();

    @Inject
    private EvaluationSignals signals;

    @Inject
    private ResultFiles resultFiles;

    @Inject
    private CoordinatorMetrics metrics;

    /** Work that was running when the coordinator last stopped goes back to the queue. */
    @PostConstruct
    void recover() {
        int n = inTx(() -> {
            List<Task> running = em.createQuery("select t from Task t where t.state = :s", Task.class)
                    .setParameter("s", TaskState.RUNNING).getResultList();
            for (Task t : running) {
                t.requeue(t.getKind() == TaskKind.RUN ? ledger.unrecorded(t.getProject(), t.nodeIdList()) : List.of());
            }
            return running.size();
        });
        if (n > 0) {
            LOG.log(System.Logger.Level.INFO, "requeued {0} task(s) left running by the previous coordinator", n);
        }
        trigger.kick();
    }

    // ---- worker events ---------------------------------------------------------------------------------------

    public void workerConnected(WorkerEvent.Connected c) {
        pool.add(c, clock.instant());
        LOG.log(System.Logger.Level.INFO, "worker={0} conn={1}: joined from {2} ({3} slots, {4}, pytest {5})",
                c.name(), c.connectionId(), c.remoteAddress(), c.slots(), c.pythonVersion(), c.pytestVersion());
        trigger.kick();
    }

    public void workerGone(String connectionId, String reason) {
        Optional<WorkerPool.Worker> gone = pool.remove(connectionId);
        int requeued = inTx(() -> {
            List<Task> tasks = em.createQuery("select t from Task t where t.state = :s and t.runningOn = :c", Task.class)
                    .setParameter("s", TaskState.RUNNING).setParameter("c", connectionId).getResultList();
            for (Task t : tasks) {
                collecting.remove(t.getId());
                List<String> remaining = t.getKind() == TaskKind.RUN
                        ? ledger.unrecorded(t.getProject(), t.nodeIdList()) : List.of();
                if (t.getKind() == TaskKind.RUN && remaining.isEmpty()) {
                    t.done();
                    completeIfFinished(t.getProject());
                } else {
                    t.requeue(remaining);
                }
            }
            return tasks.size();
        });
        gone.ifPresent(w -> LOG.log(System.Logger.Level.INFO, "worker={0} conn={1}: gone ({2}); {3} task(s) back in the queue",
                w.name(), connectionId, reason, requeued));
        trigger.kick();
    }

    public void frameReceived(String connectionId, Frame frame) {
        Instant now = clock.instant();
        Optional<WorkerPool.Worker> worker = pool.get(connectionId);
        if (worker.isEmpty()) {
            // a session this coordinator does not know (it restarted its application): make the worker start over
            try (WorkerGateway g = gateways.getGateway()) {
                g.disconnect(connectionId, new ErrorFrame(ErrorCode.UNEXPECTED_FRAME, "unknown session, reconnect"));
            }
            return;
        }
        pool.touch(connectionId, now);
        WorkerPool.Worker w = worker.get();
        if (frame instanceof TestResult r) {
            inTx(() -> onResult(w, r, now));
        } else if (frame instanceof Collected c) {
            onCollected(connectionId, c);
        } else if (frame instanceof AssignmentDone d) {
            inTx(() -> onDone(w, d, now));
            trigger.kick();
        } else if (frame instanceof PackageAck ack && !ack.accepted()) {
            w.forget(ack.packageId());
            LOG.log(System.Logger.Level.WARNING, "worker={0}: refused package {1}: {2}", w.name(), ack.packageId(),
                    ack.message());
        } else if (frame instanceof Drain d) {
            w.drain();
            LOG.log(System.Logger.Level.INFO, "worker={0}: draining ({1})", w.name(), d.reason());
        }
    }

    /** Declares workers that have been silent past the heartbeat timeout gone, and closes their connections. */
    public void expireSilentWorkers() {
        List<String> silent = pool.silent(clock.instant(), settings.heartbeatTimeout());
        for (String conn : silent) {
            try (WorkerGateway g = gateways.getGateway()) {
                g.disconnect(conn, new ErrorFrame(ErrorCode.IDLE_TIMEOUT,
                        "no sign of life for " + settings.heartbeatTimeout().toMillis() + " ms"));
            }
            workerGone(conn, "silent for " + settings.heartbeatTimeout().toMillis() + " ms");
        }
    }

    /**
     * Cancels an evaluation: its running pytest processes are stopped (CANCEL to their workers), its queued
     * work is dropped, and its unfinished projects end as cancelled. Results already recorded are kept.
     *
     * @return false when the evaluation had already finished
     */
    public boolean cancel(long evaluationId) {
        List<String[]> stops = new ArrayList<>();
        boolean cancelled = inTx(() -> {
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
                collecting.remove(t.getId());
                t.done();
            }
            for (Project p : e.getProjects()) {
                if (!p.getStatus().terminal()) {
                    p.setStatus(ProjectStatus.CANCELLED);
                }
            }
            e.finished(EvaluationStatus.CANCELLED, clock.instant());
            optionsByEvaluation.remove(evaluationId);
            finishedNow.add(evaluationId);
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

    // ---- repository intake -----------------------------------------------------------------------------------

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
            touched.add(p.getEvaluation().getId());
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
        inTx(() -> {
            Project p = em.find(Project.class, projectId);
            if (p != null && p.getStatus() == ProjectStatus.FETCHING) {
                p.fail(reason);
                touched.add(p.getEvaluation().getId());
                finishEvaluationIfComplete(p.getEvaluation());
            }
            return null;
        });
    }

    // ---- dispatching -----------------------------------------------------------------------------------------

    /** Hands pending tasks to workers with free slots, one task per worker per round, until none fits. */
    public void dispatch() {
        if (pool.size() == 0) {
            return;
        }
        inTx(() -> {
            List<Task> pending = em.createQuery("select t from Task t join fetch t.project p join fetch p.evaluation e "
                    + "where t.state = :s order by e.id, t.id", Task.class)
                    .setParameter("s", TaskState.PENDING).getResultList();
            if (pending.isEmpty()) {
                return null;
            }
            try (WorkerGateway g = gateways.getGateway()) {
                boolean progress = true;
                while (progress && !pending.isEmpty()) {
                    progress = false;
                    for (WorkerPool.Worker w : pool.rotation()) {
                        if (w.freeSlots() == 0) {
                            continue;
                        }
                        Task t = pick(pending, w);
                        if (t != null) {
                            pending.remove(t);
                            assign(g, t, w);
                            progress = true;
                        }
                    }
                }
            }
            return null;
        });
    }

    private Task pick(List<Task> pending, WorkerPool.Worker w) {
        for (Task t : pending) {
            String preferred = t.getPreferredWorker();
            if (preferred == null || preferred.equals(w.name()) || !pool.isConnected(preferred)) {
                return t;
            }
        }
        return null;
    }

    private void assign(WorkerGateway g, Task t, WorkerPool.Worker w) {
        Project p = t.getProject();
        Instant now = clock.instant();
        if (!w.holds(p.getPackageId())) {
            if (!g.sendPackage(w.connectionId(), p.getPackageId(), store.path(p.getPackageId()))) {
                return;
            }
            w.holdsNow(p.getPackageId());
        }
        int attempt = t.assign(w.connectionId(), w.name(), now);
        p.getEvaluation().started(now);
        touched.add(p.getEvaluation().getId());
        if (t.getKind() == TaskKind.COLLECT) {
            p.setStatus(ProjectStatus.COLLECTING);
            collecting.put(t.getId(), new ArrayList<>());
        }
        RunOptions options = optionsByEvaluation.computeIfAbsent(p.getEvaluation().getId(),
                id -> OptionsJson.read(p.getEvaluation().getOptionsJson()));
        Assign frame = new Assign(t.getId(), attempt, p.getEvaluation().getId(), p.getId(), p.getPackageId(),
                t.getKind() == TaskKind.COLLECT ? AssignmentKind.COLLECT : AssignmentKind.RUN,
                options.pytestArgs(), options.env(), t.nodeIdList(), settings.taskTimeout().toSeconds(),
                options.installDeps() ? Map.of(Assign.INSTALL_DEPS, "true") : Map.of());
        if (g.send(w.connectionId(), frame)) {
            w.running().add(t.getId());
        } else {
            t.requeue(t.nodeIdList());
            collecting.remove(t.getId());
        }
    }

    // ---- results ---------------------------------------------------------------------------------------------

    private Object onResult(WorkerPool.Worker w, TestResult r, Instant now) {
        Task t = current(w, r.assignmentId(), r.attempt());
        if (t == null) {
            return null;
        }
        if (t.getKind() == TaskKind.RUN && !t.nodeIdList().contains(r.nodeId())) {
            LOG.log(System.Logger.Level.WARNING, "worker={0}: result for {1}, which task {2} does not hold; ignored",
                    w.name(), r.nodeId(), t.getId());
            return null;
        }
        ledger.record(t.getProject(), r.nodeId(), r.outcome(), r.durationSeconds(), w.name(), w.remoteAddress(),
                r.attempt(), r.message(), now);
        touched.add(t.getProject().getEvaluation().getId());
        return null;
    }

    private void onCollected(String connectionId, Collected c) {
        List<String> ids = collecting.get(c.assignmentId());
        if (ids != null) {
            ids.addAll(c.nodeIds());
        } else {
            LOG.log(System.Logger.Level.DEBUG, "conn={0}: node ids for task {1}, which is not collecting; ignored",
                    connectionId, c.assignmentId());
        }
    }

    private Object onDone(WorkerPool.Worker w, AssignmentDone d, Instant now) {
        Task t = current(w, d.assignmentId(), d.attempt());
        w.running().remove(d.assignmentId());
        if (t == null) {
            return null;
        }
        Project p = t.getProject();
        touched.add(p.getEvaluation().getId());
        if (d.exitCode() == AssignmentDone.EXIT_PACKAGE_MISSING && t.getAttempt() <= settings.packageRetries()) {
            w.forget(p.getPackageId());
            collecting.remove(t.getId());
            t.requeue(t.getKind() == TaskKind.RUN ? ledger.unrecorded(p, t.nodeIdList()) : List.of());
            return null;
        }
        if (t.getKind() == TaskKind.COLLECT) {
            List<String> ids = Optional.ofNullable(collecting.remove(t.getId())).orElse(List.of());
            t.done();
            TaskOutcomes.Collection verdict = TaskOutcomes.afterCollect(d.exitCode(), d.detail(), ids,
                    ledger.count(p), OptionsJson.read(p.getEvaluation().getOptionsJson()).pytestArgs());
            p.collected(ids.size());
            switch (verdict.next()) {
                case RUN -> {
                    p.setStatus(ProjectStatus.RUNNING);
                    for (RoundRobinPlanner.Batch b : RoundRobinPlanner.plan(ids, pool.activeNames())) {
                        em.persist(new Task(p, TaskKind.RUN, b.nodeIds(), b.preferredWorker()));
                    }
                }
                case DONE -> p.done(verdict.note());
                case FAILED -> p.fail(verdict.note());
            }
        } else {
            List<String> missing = ledger.unrecorded(p, t.nodeIdList());
            t.done();
            String why = TaskOutcomes.missingResultMessage(d.exitCode(), d.detail(), settings.taskTimeout());
            for (String id : missing) {
                ledger.record(p, id, io.cdnodes.protocol.frame.Outcome.ERROR, 0, w.name(), w.remoteAddress(),
                        d.attempt(), why, now);
            }
        }
        completeIfFinished(p);
        return null;
    }

    /** The task if the frame belongs to its current attempt on this worker; null (and ignored) otherwise. */
    private Task current(WorkerPool.Worker w, long taskId, int attempt) {
        Task t = em.find(Task.class, taskId);
        if (t == null || t.getState() != TaskState.RUNNING || t.getAttempt() != attempt
                || !w.connectionId().equals(t.getRunningOn())) {
            LOG.log(System.Logger.Level.DEBUG, "worker={0}: frame for task {1} attempt {2}, not current; ignored",
                    w.name(), taskId, attempt);
            return null;
        }
        return t;
    }

    private void completeIfFinished(Project p) {
        Long open = em.createQuery("select count(t) from Task t where t.project = :p and t.state <> :d", Long.class)
                .setParameter("p", p).setParameter("d", TaskState.DONE).getSingleResult();
        if (open > 0) {
            return;
        }
        if (!p.getStatus().terminal()) {
            p.done(p.getFailureReason());
        }
        finishEvaluationIfComplete(p.getEvaluation());
    }

    private void finishEvaluationIfComplete(Evaluation e) {
        if (e.getStatus().terminal()) {
            return;
        }
        List<ProjectStatus> statuses = e.getProjects().stream().map(Project::getStatus).toList();
        if (statuses.stream().allMatch(ProjectStatus::terminal)) {
            boolean anyRan = statuses.stream().anyMatch(st -> st == ProjectStatus.DONE);
            e.finished(anyRan ? EvaluationStatus.DONE : EvaluationStatus.FAILED, clock.instant());
            optionsByEvaluation.remove(e.getId());
            finishedNow.add(e.getId());
            LOG.log(System.Logger.Level.INFO, "evaluation={0}: {1}", e.getId(), e.getStatus().wireName());
        }
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

    /** Wakes live views of what changed and writes the result files of what finished, once it is committed. */
    private void afterCommit() {
        touched.addAll(finishedNow);
        touched.forEach(signals::changed);
        finishedNow.forEach(resultFiles::writeSoon);
        finishedNow.forEach(id -> metrics.evaluationFinished());
        touched.clear();
        finishedNow.clear();
    }

    private void rollbackQuietly() {
        touched.clear();
        finishedNow.clear();
        try {
            if (tx.getStatus() != jakarta.transaction.Status.STATUS_NO_TRANSACTION) {
                tx.rollback();
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "rollback failed", e);
        }
    }
}
