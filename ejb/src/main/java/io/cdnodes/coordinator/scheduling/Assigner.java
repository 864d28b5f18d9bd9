package io.cdnodes.coordinator.scheduling;

import io.cdnodes.connector.api.WorkerGateway;
import io.cdnodes.coordinator.config.CoordinatorSettings;
import io.cdnodes.coordinator.evaluation.Project;
import io.cdnodes.coordinator.evaluation.ProjectStatus;
import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.coordinator.intake.PackageStore;
import io.cdnodes.coordinator.results.ResultLedger;
import io.cdnodes.coordinator.workers.WorkerPool;
import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentKind;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hands pending tasks to workers with free slots, inside the dispatcher's lock and transaction:
 * <ol>
 * <li>work handed back after a loss goes first to its backup worker, which holds the package already;</li>
 * <li>then the workers are served in rotation, one task each per round; each pick takes the next evaluation
 * after the one served last, so that several evaluations share the workers and none starves; within an
 * evaluation the queue is longest-estimate first;</li>
 * <li>while more run batches are pending than there are slots, each busy worker also gets one batch per slot to
 * queue behind its running ones ({@link WorkerPool.Worker#queueRoom()}), so that no slot waits for a round trip
 * between two batches; near the tail nothing is queued ahead, so that no batch waits behind another while a
 * worker is idle;</li>
 * <li>at the tail, when nothing is queued and a worker is idle, the longest dynamic batch still running gets a
 * speculative twin on that worker; whichever reports a node first wins.</li>
 * </ol>
 * Every assignment names a backup worker and sends it the package ahead of time.
 */
@Dependent
public class Assigner {

    private static final System.Logger LOG = System.getLogger(Assigner.class.getName());
    /** A running batch is worth duplicating only when this much of its estimated work is left. */
    static final double TWIN_THRESHOLD_SECONDS = 2.0;

    @PersistenceContext(unitName = "cdnodes")
    private EntityManager em;

    @Inject
    private PackageStore store;

    @Inject
    private CoordinatorSettings settings;

    @Inject
    private Clock clock;

    @Inject
    private ResultLedger ledger;

    @Inject
    private BackupPairs backups;

    void dispatch(DispatchState s, WorkerGateway g) {
        List<Task> pending = em.createQuery("select t from Task t join fetch t.project p join fetch p.evaluation e "
                + "where t.state = :s order by e.id, t.estimate desc, t.id", Task.class)
                .setParameter("s", TaskState.PENDING).getResultList();
        resolveProbation(pending, s);
        for (Task t : new ArrayList<>(pending)) {
            // the collector's pytest session is warm: it takes its project's first batch
            String collector = s.collectedBy.get(t.getProject().getId());
            Optional<WorkerPool.Worker> c = collector == null ? Optional.empty() : s.pool.byName(collector);
            if (c.isPresent() && t.getKind() == TaskKind.RUN && c.get().freeSlots() > 0 && eligible(t, c.get(), s)
                    && pending.contains(t)) {
                s.collectedBy.remove(t.getProject().getId());
                pending.remove(t);
                pending.removeAll(join(t, pending, s));
                assign(g, t, c.get(), s);
            }
        }
        for (Task t : new ArrayList<>(pending)) {
            if (!pending.contains(t)) {
                continue;
            }
            if (t.getBackupWorker() != null) {
                Optional<WorkerPool.Worker> b = s.pool.byName(t.getBackupWorker());
                if (b.isPresent() && b.get().freeSlots() > 0 && eligible(t, b.get(), s)) {
                    pending.remove(t);
                    assign(g, t, b.get(), s);
                }
            }
        }
        boolean progress = true;
        while (progress && !pending.isEmpty()) {
            progress = false;
            for (WorkerPool.Worker w : s.pool.rotation()) {
                if (w.freeSlots() == 0) {
                    continue;
                }
                Task t = pick(pending, w, s);
                if (t != null) {
                    pending.remove(t);
                    pending.removeAll(join(t, pending, s));
                    assign(g, t, w, s);
                    progress = true;
                }
            }
        }
        queueAhead(pending, g, s);
        if (pending.isEmpty()) {
            twins(g, s);
        }
    }

    private void queueAhead(List<Task> pending, WorkerGateway g, DispatchState s) {
        List<Task> runs = new ArrayList<>(pending.stream().filter(t -> t.getKind() == TaskKind.RUN).toList());
        boolean progress = true;
        while (progress) {
            progress = false;
            for (WorkerPool.Worker w : s.pool.rotation()) {
                if (runs.size() < s.pool.activeSlots()) {
                    return;
                }
                if (w.queueRoom() == 0) {
                    continue;
                }
                Task t = pick(runs, w, s);
                if (t != null) {
                    runs.remove(t);
                    pending.remove(t);
                    List<Task> joined = join(t, runs, s);
                    runs.removeAll(joined);
                    pending.removeAll(joined);
                    assign(g, t, w, s);
                    progress = true;
                }
            }
        }
    }

    private Task pick(List<Task> pending, WorkerPool.Worker w, DispatchState s) {
        Map<Long, List<Task>> byEvaluation = new LinkedHashMap<>();
        for (Task t : pending) {
            byEvaluation.computeIfAbsent(t.getProject().getEvaluation().getId(), k -> new ArrayList<>()).add(t);
        }
        List<Long> order = new ArrayList<>(byEvaluation.keySet());
        int start = 0;
        while (start < order.size() && order.get(start) <= s.lastEvaluationServed) {
            start++;
        }
        for (int i = 0; i < order.size(); i++) {
            long evaluation = order.get((start + i) % order.size());
            for (Task t : byEvaluation.get(evaluation)) {
                if (eligible(t, w, s)) {
                    s.lastEvaluationServed = evaluation;
                    return t;
                }
            }
        }
        return null;
    }

    /**
     * For a project planned with no history whose results now show how long its tests take: the pending batches
     * of the project that {@code t} takes in before it is handed out ({@link DynamicPlanner#joinable}); they are
     * removed from the database. Returns them (empty when nothing is joined).
     */
    private List<Task> join(Task t, List<Task> pending, DispatchState s) {
        Project p = t.getProject();
        java.util.OptionalDouble mean = s.learnedMean(p.getId());
        if (mean.isEmpty() || !t.joinable()) {
            return List.of();
        }
        List<Task> following = pending.stream().filter(o -> o != t && o.getProject().getId().equals(p.getId())
                && o.joinable()).toList();
        int n = DynamicPlanner.joinable(t.nodeCount(), following.stream().map(Task::nodeCount).toList(),
                mean.getAsDouble(), Completion.shape(s.pool.activeSlots()));
        List<Task> joined = following.subList(0, n);
        for (Task o : joined) {
            t.join(o);
            em.remove(o);
        }
        return joined;
    }

    /**
     * Ends the probation of projects planned with no history once {@link SlowStart} can tell how many sessions
     * they are worth: everywhere, or a few workers (the collector first).
     */
    private void resolveProbation(List<Task> pending, DispatchState s) {
        // workers that leave take no project with them: one whose workers are all gone may go anywhere
        s.confined.values().removeIf(names -> names.stream().allMatch(n -> s.pool.byName(n)
                .filter(w -> !w.draining()).isEmpty()));
        Instant now = clock.instant();
        for (Map.Entry<Long, DispatchState.Probation> e : new ArrayList<>(s.probation.entrySet())) {
            long project = e.getKey();
            if (s.pool.byName(e.getValue().collector()).filter(w -> !w.draining()).isEmpty()) {
                s.probation.remove(project);
                continue;
            }
            long pendingNodes = pending.stream().filter(t -> t.getProject().getId() == project
                    && t.getKind() == TaskKind.RUN).mapToLong(Task::nodeCount).sum();
            double waited = java.time.Duration.between(e.getValue().plannedAt(), now).toNanos() / 1e9;
            Observed o = s.observed(project).orElseGet(Observed::new);
            o.looked();
            DynamicPlanner.Shape shape = Completion.shape(s.pool.activeSlots());
            SlowStart.Decision d = SlowStart.decide(o.results(), o.mean(), o.runningFor(now), pendingNodes, waited,
                    shape);
            if (!d.decided()) {
                // a test still running: look again when it will have run long enough to tell
                double needed = SlowStart.runningToSpread(pendingNodes, shape);
                double in = Math.min(needed - o.runningFor(now), SlowStart.PROBE_SECONDS - waited);
                if (o.runningFor(now) > 0 && in > 0) {
                    s.lookAgainIn(in);
                }
                continue;
            }
            s.probation.remove(project);
            if (d.everywhere()) {
                LOG.log(System.Logger.Level.DEBUG, "project={0}: spreads to every worker after {1} result(s)", project,
                        o.results());
                continue;
            }
            java.util.Set<String> names = workersWithSlots(e.getValue().collector(), d.slots(), s);
            s.confined.put(project, names);
            LOG.log(System.Logger.Level.INFO, "project={0}: {1} result(s) of {2} ms on average, {3} test(s) left: "
                    + "worth {4} pytest session(s), runs on {5}", project, o.results(), Math.round(o.mean() * 1000),
                    pendingNodes, d.slots(), names);
        }
    }

    /** Workers holding at least {@code slots} slots between them, the collector first, then in connection order. */
    private static java.util.Set<String> workersWithSlots(String collector, int slots, DispatchState s) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        List<WorkerPool.Worker> order = new ArrayList<>(s.pool.byName(collector).stream().toList());
        order.addAll(s.pool.all());
        int held = 0;
        for (WorkerPool.Worker w : order) {
            if (held >= slots) {
                break;
            }
            if (!w.draining() && names.add(w.name())) {
                held += w.slots();
            }
        }
        return names;
    }

    /**
     * Round-robin binding is strict while its worker can work; a worker lost under a task is avoided if possible;
     * a project kept on some workers ({@link SlowStart}) goes to none other.
     */
    private static boolean eligible(Task t, WorkerPool.Worker w, DispatchState s) {
        // only planned batches: work handed back after a loss, or a twin, may have to avoid the allowed workers
        Optional<java.util.Set<String>> allowed = confinable(t) ? s.allowedWorkers(t.getProject().getId())
                : Optional.empty();
        if (allowed.isPresent() && !allowed.get().contains(w.name())) {
            return false;
        }
        String preferred = t.getPreferredWorker();
        if (preferred != null && !preferred.equals(w.name()) && s.pool.isAvailable(preferred)) {
            return false;
        }
        String avoid = t.getAvoidWorker();
        return avoid == null || !avoid.equals(w.name())
                || s.pool.activeNames().stream().noneMatch(n -> !n.equals(avoid));
    }

    private static boolean confinable(Task t) {
        return t.getAttempt() == 0 && t.getTwinOf() == null && t.getAvoidWorker() == null;
    }

    private void assign(WorkerGateway g, Task t, WorkerPool.Worker w, DispatchState s) {
        Project p = t.getProject();
        if (!deliver(g, w, p.getPackageId())) {
            return;
        }
        Instant now = clock.instant();
        int attempt = t.assign(w.connectionId(), w.name(), now);
        p.getEvaluation().started(now);
        s.touched(p.getEvaluation().getId());
        if (t.getKind() == TaskKind.COLLECT) {
            p.setStatus(ProjectStatus.COLLECTING);
            s.collecting.put(t.getId(), new CollectedNodes(w.connectionId(), attempt, p.getEvaluation().getId()));
        }
        RunOptions options = s.options(p.getEvaluation());
        Assign frame = new Assign(t.getId(), attempt, p.getEvaluation().getId(), p.getId(), p.getPackageId(),
                t.getKind() == TaskKind.COLLECT ? AssignmentKind.COLLECT : AssignmentKind.RUN,
                options.pytestArgs(), options.env(), t.nodeIdList(), settings.taskTimeout().toSeconds(),
                directives(options));
        if (!g.send(w.connectionId(), frame)) {
            t.requeue(t.nodeIdList());
            s.forgetTask(t.getId());
            return;
        }
        w.assign(t.getId(), attempt);
        if (t.getTwinOf() == null) {
            // a twin's results repeat its original's: they would count twice
            s.assigned(t.getId(), p.getId());
        }
        if (attempt > 1) {
            LOG.log(System.Logger.Level.INFO, "task={0} attempt={1}: {2} node(s) taken over by worker={3}", t.getId(),
                    attempt, t.nodeIdList().size(), w.name());
        }
        WorkerPool.Worker backup = backupFor(w, s);
        t.setBackupWorker(backup == null ? null : backup.name());
        if (backup != null) {
            deliver(g, backup, p.getPackageId());
        }
        backups.running(t.getId(), w.connectionId(), backup == null ? null : backup.connectionId());
    }

    /** Sends the package unless the worker holds it already; false when the connection is gone. */
    private boolean deliver(WorkerGateway g, WorkerPool.Worker w, String packageId) {
        if (w.holds(packageId)) {
            return true;
        }
        if (!g.sendPackage(w.connectionId(), packageId, store.path(packageId))) {
            return false;
        }
        w.holdsNow(packageId);
        return true;
    }

    /** The next available worker after {@code w} in connection order, or null when it is alone. */
    private static WorkerPool.Worker backupFor(WorkerPool.Worker w, DispatchState s) {
        List<WorkerPool.Worker> all = s.pool.all();
        int i = all.indexOf(w);
        for (int k = 1; k < all.size(); k++) {
            WorkerPool.Worker candidate = all.get((i + k) % all.size());
            if (!candidate.draining() && !candidate.name().equals(w.name())) {
                return candidate;
            }
        }
        return null;
    }

    /** At the tail: duplicates the running dynamic batch with the most work left onto an idle worker. */
    private void twins(WorkerGateway g, DispatchState s) {
        List<WorkerPool.Worker> idle = s.pool.all().stream().filter(w -> w.freeSlots() > 0).toList();
        if (idle.isEmpty()) {
            return;
        }
        List<Task> running = em.createQuery("select t from Task t join fetch t.project p join fetch p.evaluation e "
                + "where t.state = :s and t.kind = :k and t.twinOf is null", Task.class)
                .setParameter("s", TaskState.RUNNING).setParameter("k", TaskKind.RUN).getResultList();
        List<Long> twinned = em.createQuery("select t.twinOf from Task t where t.twinOf is not null and t.state <> :d",
                Long.class).setParameter("d", TaskState.DONE).getResultList();
        Task best = null;
        List<String> bestLeft = List.of();
        double bestEstimate = TWIN_THRESHOLD_SECONDS;
        for (Task t : running) {
            if (twinned.contains(t.getId()) || !RunOptions.DYNAMIC.equals(s.options(t.getProject().getEvaluation()).strategy())) {
                continue;
            }
            // a project planned with no history has guessed estimates; once its results show the real mean, that counts
            java.util.OptionalDouble mean = s.learnedMean(t.getProject().getId());
            double whole = mean.isPresent() ? t.nodeCount() * mean.getAsDouble() : t.getEstimate();
            if (whole <= bestEstimate || idle.stream().allMatch(w -> w.name().equals(t.getRunningOnName()))) {
                // cannot beat the best so far (what is left is at most the whole estimate), or nowhere to go
                continue;
            }
            List<String> all = t.nodeIdList();
            List<String> left = t.rerun(ledger.unrecorded(t.getProject(), all));
            double estimate = all.isEmpty() ? 0 : whole * left.size() / all.size();
            if (estimate > bestEstimate) {
                best = t;
                bestLeft = left;
                bestEstimate = estimate;
            }
        }
        if (best == null) {
            return;
        }
        String original = best.getRunningOnName();
        // a project kept on a few workers (SlowStart) gets no session elsewhere for a twin either
        Optional<java.util.Set<String>> allowed = s.allowedWorkers(best.getProject().getId());
        Optional<WorkerPool.Worker> to = idle.stream().filter(w -> !w.name().equals(original))
                .filter(w -> allowed.isEmpty() || allowed.get().contains(w.name()))
                .max(Comparator.comparingInt(WorkerPool.Worker::freeSlots));
        if (to.isEmpty()) {
            return;
        }
        WorkerPool.Worker target = to.get();
        Task twin = Task.twin(best, bestLeft, bestEstimate);
        em.persist(twin);
        em.flush();
        LOG.log(System.Logger.Level.INFO, "task={0}: {1} node(s), about {2} s left on worker={3}; duplicated on worker={4}",
                best.getId(), bestLeft.size(), Math.round(bestEstimate), original, target.name());
        assign(g, twin, target, s);
    }

    /** How workers prepare the evaluation's runs: its dependencies installed, the network given. */
    static Map<String, String> directives(RunOptions options) {
        Map<String, String> d = new java.util.TreeMap<>();
        if (options.installDeps()) {
            d.put(Assign.INSTALL_DEPS, "true");
        }
        if (options.network()) {
            d.put(Assign.NETWORK, "true");
        }
        return d;
    }
}
