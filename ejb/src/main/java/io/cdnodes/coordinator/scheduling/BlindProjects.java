package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.TaskKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.LongUnaryOperator;

/**
 * Projects planned blind (with no duration history at all) while they are found out: what their running shows
 * ({@link Observed}), which of them are on probation (only their collector runs them until {@link SlowStart}
 * decides), which are confined to a few workers, and which collector has not yet taken its project's first batch
 * (its pytest session is warm). Every change is kept in the {@link Journal} first. Not thread-safe: owned by the
 * {@link Scheduler}.
 */
final class BlindProjects {

    private static final System.Logger LOG = System.getLogger(BlindProjects.class.getName());
    /** How many results of a project planned blind are needed before their mean is trusted. */
    static final int RESULTS_TO_LEARN = 8;

    /** A project on probation: who collected it, and when it was planned. */
    record Probation(String collector, Instant plannedAt) {
    }

    private final Journal journal;
    private final WorkerPool pool;
    /** Projects planned blind, and what their running shows so far, by project id. */
    private final Map<Long, Observed> observed = new LinkedHashMap<>();
    /** Handed-out tasks of projects planned blind (not twins): their project, by task id. */
    private final Map<Long, Long> blindTasks = new LinkedHashMap<>();
    /** The worker that collected a project whose first batch it has not taken yet, by project id. */
    private final Map<Long, String> collectedBy = new LinkedHashMap<>();
    private final Map<Long, Probation> probation = new LinkedHashMap<>();
    /** Projects that {@link SlowStart} kept on a few workers: their names, by project id. */
    private final Map<Long, Set<String>> confined = new LinkedHashMap<>();

    BlindProjects(Journal journal, WorkerPool pool) {
        this.journal = journal;
        this.pool = pool;
    }

    /** The collector may have kept the pytest session that collected: it should take the project's first batch. */
    void collectedBy(long projectId, String worker) {
        journal.keep(collectedBy);
        collectedBy.put(projectId, worker);
    }

    /** The worker that collected the project and has not taken its first batch yet, if any. */
    Optional<String> collector(long projectId) {
        return Optional.ofNullable(collectedBy.get(projectId));
    }

    void firstBatchTaken(long projectId) {
        journal.keep(collectedBy);
        collectedBy.remove(projectId);
    }

    /** The project was planned blind: its running is watched, and it is on probation on its collector. */
    void plannedBlind(long projectId, String collector, Instant now, Changes changes) {
        journal.keep(observed);
        observed.put(projectId, new Observed());
        journal.keep(probation);
        probation.put(projectId, new Probation(collector, now));
        changes.lookAgainIn(SlowStart.PROBE_SECONDS + 0.02);
    }

    boolean anyOnProbation() {
        return !probation.isEmpty();
    }

    /** A task was handed out: when its project was planned blind (and it is not a twin), its frames are watched. */
    void handedOut(LiveTask t) {
        if (t.twinOf() == null && observed.containsKey(t.projectId())) {
            journal.keep(blindTasks);
            blindTasks.put(t.id(), t.projectId());
        }
    }

    /** A result of a running task arrived: counted for its project when that was planned blind. */
    void resultArrived(long taskId, double seconds) {
        Long project = blindTasks.get(taskId);
        Observed o = project == null ? null : observed.get(project);
        if (o != null) {
            keep(o);
            o.result(seconds);
        }
    }

    /**
     * A test of a running task started: noted for its project when that was planned blind. Returns whether to look
     * again shortly (the project is on probation and no look is pending).
     */
    boolean testStarted(long taskId, Instant at) {
        Long project = blindTasks.get(taskId);
        Observed o = project == null ? null : observed.get(project);
        if (o == null) {
            return false;
        }
        keep(o);
        o.started(at);
        return probation.containsKey(project) && o.scheduleLook();
    }

    /**
     * The mean duration of the results of a project planned blind, once there are enough of them; empty for a
     * project planned from history, or when the coordinator restarted since it was planned.
     */
    OptionalDouble learnedMean(long projectId) {
        Observed o = observed.get(projectId);
        return o != null && o.results() >= RESULTS_TO_LEARN ? OptionalDouble.of(o.mean()) : OptionalDouble.empty();
    }

    /** The workers (names) that may run the project's planned batches now; empty when any may. */
    Optional<Set<String>> allowedWorkers(long projectId) {
        Probation p = probation.get(projectId);
        return p != null ? Optional.of(Set.of(p.collector())) : Optional.ofNullable(confined.get(projectId));
    }

    /**
     * Ends the probation of projects planned blind once {@link SlowStart} can tell how many pytest sessions they are
     * worth: everywhere, or a few workers (the collector first).
     *
     * @param pending      the pending tasks
     * @param evaluationOf a project's evaluation, by project id
     */
    void resolve(List<LiveTask> pending, LongUnaryOperator evaluationOf, Instant now, Changes changes) {
        // workers that leave take no project with them: one whose workers are all gone may go anywhere
        journal.keep(confined);
        confined.values().removeIf(names -> names.stream().allMatch(n -> pool.byName(n)
                .filter(w -> !w.draining()).isEmpty()));
        for (Map.Entry<Long, Probation> e : new ArrayList<>(probation.entrySet())) {
            long project = e.getKey();
            journal.keep(probation);
            if (pool.byName(e.getValue().collector()).filter(w -> !w.draining()).isEmpty()) {
                probation.remove(project);
                continue;
            }
            DynamicPlanner.Shape shape = Planning.shape(pool.activeSlots());
            // only its own evaluation's: another submission's backlog must not keep this one to a slot
            long evaluation = evaluationOf.applyAsLong(project);
            long othersWaiting = pending.stream().filter(t -> t.projectId() != project
                    && evaluationOf.applyAsLong(t.projectId()) == evaluation
                    && allowedWorkers(t.projectId()).isEmpty()).count();
            if (SlowStart.othersNeedTheSlots(othersWaiting, shape)) {
                // the rounds that hand that work out look again
                continue;
            }
            long pendingNodes = pending.stream().filter(t -> t.projectId() == project && t.kind() == TaskKind.RUN)
                    .mapToLong(LiveTask::nodeCount).sum();
            double waited = Duration.between(e.getValue().plannedAt(), now).toNanos() / 1e9;
            Observed o = observed.get(project);
            if (o == null) {
                o = new Observed();
            } else {
                keep(o);
            }
            o.looked();
            SlowStart.Decision d = SlowStart.decide(o.results(), o.mean(), o.runningFor(now), pendingNodes, waited,
                    shape);
            if (!d.decided()) {
                // a test still running: look again when it will have run long enough to tell
                double needed = SlowStart.runningToSpread(pendingNodes, shape);
                double in = Math.min(needed - o.runningFor(now), SlowStart.PROBE_SECONDS - waited);
                if (o.runningFor(now) > 0 && in > 0) {
                    changes.lookAgainIn(in);
                }
                continue;
            }
            probation.remove(project);
            if (d.everywhere()) {
                LOG.log(System.Logger.Level.DEBUG, "project={0}: spreads to every worker after {1} result(s)", project,
                        o.results());
                continue;
            }
            Set<String> names = workersWithSlots(e.getValue().collector(), d.slots());
            confined.put(project, names);
            LOG.log(System.Logger.Level.INFO, "project={0}: {1} result(s) of {2} ms on average, {3} test(s) left: "
                    + "worth {4} pytest session(s), runs on {5}", project, o.results(), Math.round(o.mean() * 1000),
                    pendingNodes, d.slots(), names);
        }
    }

    /** Workers holding at least {@code slots} slots between them, the collector first, then in connection order. */
    private Set<String> workersWithSlots(String collector, int slots) {
        Set<String> names = new LinkedHashSet<>();
        List<WorkerPool.Worker> order = new ArrayList<>(pool.byName(collector).stream().toList());
        order.addAll(pool.all());
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

    /** The project ended: nothing of it is watched any more. */
    void forgetProject(long projectId) {
        journal.keep(observed);
        journal.keep(blindTasks);
        journal.keep(collectedBy);
        journal.keep(probation);
        journal.keep(confined);
        observed.remove(projectId);
        blindTasks.values().removeIf(p -> p == projectId);
        collectedBy.remove(projectId);
        probation.remove(projectId);
        confined.remove(projectId);
    }

    void forgetTask(long taskId) {
        if (blindTasks.containsKey(taskId)) {
            journal.keep(blindTasks);
            blindTasks.remove(taskId);
        }
    }

    private void keep(Observed o) {
        Observed.State was = o.state();
        journal.keep(o, () -> o.restore(was));
    }
}
