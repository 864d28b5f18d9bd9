package io.cdnodes.coordinator.scheduling;

import io.cdnodes.connector.api.WorkerGateway;
import io.cdnodes.coordinator.config.CoordinatorSettings;
import io.cdnodes.coordinator.evaluation.Evaluation;
import io.cdnodes.coordinator.evaluation.EvaluationStatus;
import io.cdnodes.coordinator.evaluation.Project;
import io.cdnodes.coordinator.evaluation.ProjectStatus;
import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.coordinator.results.ResultLedger;
import io.cdnodes.coordinator.results.TestOutcome;
import io.cdnodes.coordinator.workers.WorkerPool;
import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.Cancel;
import io.cdnodes.protocol.frame.Collected;
import io.cdnodes.protocol.frame.TestResult;
import io.cdnodes.protocol.frame.TestStarted;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What workers report, applied inside the dispatcher's lock and transaction: tests started, results (only
 * from the current attempt of a task, and only for its nodes), collections (planned into RUN tasks by the
 * evaluation's strategy), and the end of assignments, with what that means for the project and the
 * evaluation.
 */
@Dependent
public class Completion {

    private static final System.Logger LOG = System.getLogger(Completion.class.getName());
    /** What a batch costs beyond its tests on a worker that keeps its pytest session: a round trip or two. */
    static final double BATCH_OVERHEAD_SECONDS = 0.1;
    /** What a slot's first batch of a project costs beyond its tests: a pytest session starting and collecting. */
    static final double SESSION_STARTUP_SECONDS = 1.0;

    @PersistenceContext(unitName = "cdnodes")
    private EntityManager em;

    @Inject
    private ResultLedger ledger;

    @Inject
    private CoordinatorSettings settings;

    @Inject
    private Clock clock;

    @Inject
    private BackupPairs backups;

    /** A result waiting to be recorded with others in one transaction. */
    record Arrived(WorkerPool.Worker worker, TestResult result, Instant at) {
    }

    /** Needs no transaction: the node that was running only matters if the worker is lost. */
    void started(DispatchState s, WorkerPool.Worker w, TestStarted f) {
        if (w.isAssigned(f.assignmentId(), f.attempt())) {
            s.runningNode.put(f.assignmentId(), f.nodeId());
        }
    }

    /** Records results that arrived since the last flush, in arrival order, one look-up per task. */
    void results(DispatchState s, List<Arrived> arrived) {
        Map<Task, List<ResultLedger.Entry>> byTask = new java.util.LinkedHashMap<>();
        Map<Long, java.util.Set<String>> nodesOf = new HashMap<>();
        for (Arrived a : arrived) {
            TestResult r = a.result();
            Task t = current(a.worker(), r.assignmentId(), r.attempt());
            if (t == null) {
                continue;
            }
            if (t.getKind() == TaskKind.RUN && !nodesOf.computeIfAbsent(t.getId(),
                    k -> new java.util.HashSet<>(t.nodeIdList())).contains(r.nodeId())) {
                LOG.log(System.Logger.Level.WARNING, "worker={0}: result for {1}, which task {2} does not hold; ignored",
                        a.worker().name(), r.nodeId(), t.getId());
                continue;
            }
            s.runningNode.remove(t.getId(), r.nodeId());
            byTask.computeIfAbsent(t, k -> new java.util.ArrayList<>()).add(new ResultLedger.Entry(r.nodeId(),
                    TestOutcome.of(r.outcome()), r.durationSeconds(), a.worker().name(), a.worker().remoteAddress(),
                    r.attempt(), r.message(), a.at()));
        }
        byTask.forEach((t, entries) -> {
            ledger.recordAll(t.getProject(), entries);
            s.touched(t.getProject().getEvaluation().getId());
        });
    }

    /** Node ids a worker collected: kept only when that worker holds that attempt of the collection. */
    void collected(DispatchState s, WorkerPool.Worker w, Collected c) {
        CollectedNodes nodes = s.collecting.get(c.assignmentId());
        if (nodes != null && nodes.add(w.connectionId(), c)) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "conn={0} worker={1} evaluation={2}: COLLECTED for task {3} attempt {4}, "
                + "a collection this connection does not hold; {5} node id(s) ignored", w.connectionId(), w.name(),
                nodes == null ? "-" : Long.toString(nodes.evaluationId()), Long.toString(c.assignmentId()),
                c.attempt(), c.nodeIds().size());
    }

    void done(DispatchState s, WorkerPool.Worker w, AssignmentDone d, Instant now, WorkerGateway g) {
        if (!w.finish(d.assignmentId(), d.attempt())) {
            LOG.log(System.Logger.Level.WARNING, "conn={0} worker={1}: ASSIGNMENT_DONE for task {2} attempt {3}, which "
                    + "this connection does not hold; ignored", w.connectionId(), w.name(),
                    Long.toString(d.assignmentId()), d.attempt());
            return;
        }
        Task t = current(w, d.assignmentId(), d.attempt());
        if (t == null) {
            return;
        }
        backups.ended(t.getId());
        s.runningNode.remove(t.getId());
        Project p = t.getProject();
        s.touched(p.getEvaluation().getId());
        if (d.exitCode() == AssignmentDone.EXIT_PACKAGE_MISSING && t.getAttempt() <= settings.packageRetries()) {
            w.forget(p.getPackageId());
            s.collecting.remove(t.getId());
            t.requeue(leftToRun(t));
            return;
        }
        if (d.exitCode() == AssignmentDone.EXIT_DRAINED) {
            s.collecting.remove(t.getId());
            List<String> left = leftToRun(t);
            if (t.getKind() == TaskKind.RUN && left.isEmpty()) {
                t.done();
                completeIfFinished(s, p);
            } else {
                t.requeue(left);
            }
            return;
        }
        if (t.getKind() == TaskKind.COLLECT) {
            CollectedNodes nodes = Optional.ofNullable(s.collecting.remove(t.getId())).orElseGet(CollectedNodes::none);
            t.done();
            collectionDone(s, w, p, nodes, d, now);
        } else {
            runDone(s, w, t, p, d, now, g);
        }
        completeIfFinished(s, p);
    }

    private void collectionDone(DispatchState s, WorkerPool.Worker w, Project p, CollectedNodes nodes,
                                AssignmentDone d, Instant now) {
        List<String> ids = nodes.ids();
        RunOptions options = s.options(p.getEvaluation());
        TaskOutcomes.Collection verdict = TaskOutcomes.afterCollect(d.exitCode(), d.detail(), ids, ledger.count(p),
                options.pytestArgs());
        p.collected(ids.size());
        switch (verdict.next()) {
            case RUN -> {
                p.setStatus(ProjectStatus.RUNNING);
                plan(s, w, p, nodes, options, now);
            }
            case DONE -> p.done(verdict.note());
            case FAILED -> p.fail(verdict.note());
        }
    }

    private void plan(DispatchState s, WorkerPool.Worker collector, Project p, CollectedNodes nodes,
                      RunOptions options, Instant now) {
        List<String> ids = nodes.ids();
        // the collector may have kept the pytest session that collected: it should take the first batch
        s.collectedBy.put(p.getId(), collector.name());
        if (RunOptions.ROUND_ROBIN.equals(options.strategy())) {
            for (RoundRobinPlanner.Batch b : RoundRobinPlanner.plan(ids, s.pool.activeNames())) {
                em.persist(new Task(p, TaskKind.RUN, b.nodeIds(), b.preferredWorker()));
            }
            return;
        }
        Granularity granularity = Granularity.fromWireName(options.granularity()).orElse(Granularity.AUTO);
        Map<String, Double> history = history(p);
        if (history.isEmpty()) {
            // every estimate is a guess: what the first results show lets the dispatcher join batches cut too small,
            // and decide how many sessions the project is worth (until then it runs on its collector's)
            s.plannedBlind(p.getId());
            s.probation(p.getId(), collector.name(), now);
        }
        DurationEstimates estimates = new DurationEstimates(history);
        for (DynamicPlanner.Batch b : DynamicPlanner.plan(ids, nodes.scopes(), granularity, estimates,
                shape(s.pool.activeSlots()))) {
            em.persist(b.whole() ? Task.whole(p, b.nodeIds(), b.estimate())
                    : new Task(p, TaskKind.RUN, b.nodeIds(), null, b.estimate()));
        }
    }

    /**
     * How dynamic batches are cut for this many slots. Workers keep a pytest session per slot between batches of
     * a project, so a batch costs little beyond its tests: many small batches even out the tail (the first batch
     * of a slot pays the start-up, once).
     */
    static DynamicPlanner.Shape shape(int slots) {
        return new DynamicPlanner.Shape(slots, BATCH_OVERHEAD_SECONDS, 4, SESSION_STARTUP_SECONDS);
    }

    /** Mean durations of this project's tests in earlier evaluations (same project name). */
    private Map<String, Double> history(Project p) {
        Map<String, Double> out = new HashMap<>();
        for (Object[] row : em.createQuery("select r.nodeId, avg(r.duration) from TestResultRecord r "
                + "where r.project.name = :n and r.project.id <> :p and r.outcome <> :error group by r.nodeId",
                Object[].class).setParameter("n", p.getName()).setParameter("p", p.getId())
                .setParameter("error", TestOutcome.ERROR).getResultList()) {
            out.put((String) row[0], ((Number) row[1]).doubleValue());
        }
        return out;
    }

    private void runDone(DispatchState s, WorkerPool.Worker w, Task t, Project p, AssignmentDone d, Instant now,
                         WorkerGateway g) {
        t.done();
        Optional<Task> other = counterpart(t);
        if (other.isPresent()) {
            List<String> otherLeft = ledger.unrecorded(p, other.get().nodeIdList());
            if (otherLeft.isEmpty()) {
                // the other copy has nothing left that counts: stop it
                if (other.get().getState() == TaskState.RUNNING) {
                    g.send(other.get().getRunningOn(), new Cancel(other.get().getId(), "its twin finished first"));
                }
                other.get().done();
                backups.ended(other.get().getId());
                s.forgetTask(other.get().getId());
            } else {
                // what this copy missed, the other one is still running: it decides
                return;
            }
        }
        List<String> missing = ledger.unrecorded(p, t.nodeIdList());
        String why = TaskOutcomes.missingResultMessage(d.exitCode(), d.detail(), settings.taskTimeout());
        ledger.recordAll(p, missing.stream().map(id -> new ResultLedger.Entry(id, TestOutcome.ERROR, 0, w.name(),
                w.remoteAddress(), d.attempt(), why, now)).toList());
    }

    /**
     * What of a task must run again when it goes back to the queue: for a RUN, its nodes without a result (all of a
     * {@linkplain Task#isWhole() whole} batch's when any is left); nothing for a COLLECT, which is simply redone.
     */
    List<String> leftToRun(Task t) {
        return t.getKind() == TaskKind.RUN ? t.rerun(ledger.unrecorded(t.getProject(), t.nodeIdList())) : List.of();
    }

    /** The speculative twin of a task, or the original of a twin, while it is not done. */
    Optional<Task> counterpart(Task t) {
        if (t.getTwinOf() != null) {
            Task original = em.find(Task.class, t.getTwinOf());
            return original != null && original.getState() != TaskState.DONE ? Optional.of(original) : Optional.empty();
        }
        // a twin has its original's project: the project's index narrows the search
        return em.createQuery("select t from Task t where t.project = :p and t.twinOf = :id and t.state <> :d",
                Task.class).setParameter("p", t.getProject()).setParameter("id", t.getId())
                .setParameter("d", TaskState.DONE).getResultStream().findFirst();
    }

    /** The task if the frame belongs to its current attempt on this worker; null (and ignored) otherwise. */
    Task current(WorkerPool.Worker w, long taskId, int attempt) {
        Task t = em.find(Task.class, taskId);
        if (t == null || t.getState() != TaskState.RUNNING || t.getAttempt() != attempt
                || !w.connectionId().equals(t.getRunningOn())) {
            LOG.log(System.Logger.Level.DEBUG, "worker={0}: frame for task {1} attempt {2}, not current; ignored",
                    w.name(), taskId, attempt);
            return null;
        }
        return t;
    }

    void completeIfFinished(DispatchState s, Project p) {
        Long open = em.createQuery("select count(t) from Task t where t.project = :p and t.state <> :d", Long.class)
                .setParameter("p", p).setParameter("d", TaskState.DONE).getSingleResult();
        if (open > 0) {
            return;
        }
        s.forgetProject(p.getId());
        if (!p.getStatus().terminal()) {
            p.done(p.getFailureReason());
        }
        finishEvaluationIfComplete(s, p.getEvaluation());
    }

    void finishEvaluationIfComplete(DispatchState s, Evaluation e) {
        if (e.getStatus().terminal()) {
            return;
        }
        List<ProjectStatus> statuses = e.getProjects().stream().map(Project::getStatus).toList();
        if (statuses.stream().allMatch(ProjectStatus::terminal)) {
            boolean anyRan = statuses.stream().anyMatch(st -> st == ProjectStatus.DONE);
            e.finished(anyRan ? EvaluationStatus.DONE : EvaluationStatus.FAILED, clock.instant());
            s.finished(e.getId());
            LOG.log(System.Logger.Level.INFO, "evaluation={0}: {1}", e.getId(), e.getStatus().wireName());
        }
    }
}
