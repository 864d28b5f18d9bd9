package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.TaskKind;
import io.cdnodes.coordinator.evaluation.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A dispatch round: hands pending tasks to workers with free slots.
 * <ol>
 * <li>a project's collector takes its first batch (its pytest session is warm);</li>
 * <li>work handed back after a loss goes to its backup worker, which holds the package already;</li>
 * <li>then the workers are served in rotation, one task each per round; each pick takes the next evaluation
 * after the one served last, so that several evaluations share the workers and none starves; within an
 * evaluation the queue is longest-estimate first;</li>
 * <li>while more run batches are pending than there are slots, each busy worker also gets one batch per slot to
 * queue behind its running ones ({@link WorkerPool.Worker#queueRoom()}), so that no slot waits for a round trip
 * between two batches; near the tail nothing is queued ahead, so that no batch waits behind another while a
 * worker is idle;</li>
 * <li>at the tail, when nothing is pending and a worker is idle, {@link TailTwins} may duplicate a running batch.</li>
 * </ol>
 * A batch of a project planned blind takes in the batches queued behind it once the project's mean is known
 * ({@link DynamicPlanner#joinable}).
 */
final class HandOut {

    private final Journal journal;
    private final LiveWork work;
    private final WorkerPool pool;
    private final BlindProjects blind;
    private final Assignments assignments;
    private final TailTwins twins;
    /** The evaluation served last, so that the next pick starts with another one. */
    private long lastEvaluationServed = -1;

    HandOut(Journal journal, LiveWork work, WorkerPool pool, BlindProjects blind, Assignments assignments,
            TailTwins twins) {
        this.journal = journal;
        this.work = work;
        this.pool = pool;
        this.blind = blind;
        this.assignments = assignments;
        this.twins = twins;
    }

    void round(Instant now, Changes c) {
        // a rerun waits out its delay (a round comes when it is due: Reruns asks for one)
        List<LiveTask> pending = new ArrayList<>(work.pending().stream().filter(t -> t.readyAt(now)).toList());
        blind.resolve(pending, projectId -> work.project(projectId).evaluationId(), now, c);
        collectorsFirst(pending, now, c);
        backupsNext(pending, now, c);
        boolean progress = true;
        while (progress && !pending.isEmpty()) {
            progress = false;
            for (WorkerPool.Worker w : pool.rotation()) {
                if (w.freeSlots() == 0) {
                    continue;
                }
                LiveTask t = pick(pending, w);
                if (t != null) {
                    pending.remove(t);
                    pending.removeAll(join(t, pending));
                    assignments.assign(t, w, now, c);
                    progress = true;
                }
            }
        }
        queueAhead(pending, now, c);
        if (pending.isEmpty()) {
            twins.duplicate(now, c);
        }
    }

    /** The collector's pytest session is warm: it takes its project's first batch. */
    private void collectorsFirst(List<LiveTask> pending, Instant now, Changes c) {
        for (LiveTask t : new ArrayList<>(pending)) {
            Optional<String> collector = blind.collector(t.projectId());
            Optional<WorkerPool.Worker> w = collector.flatMap(pool::byName);
            if (w.isPresent() && t.kind() == TaskKind.RUN && w.get().freeSlots() > 0 && eligible(t, w.get())
                    && pending.contains(t)) {
                blind.firstBatchTaken(t.projectId());
                pending.remove(t);
                pending.removeAll(join(t, pending));
                assignments.assign(t, w.get(), now, c);
            }
        }
    }

    /** Work handed back after a loss goes to its backup, which holds the package. */
    private void backupsNext(List<LiveTask> pending, Instant now, Changes c) {
        for (LiveTask t : new ArrayList<>(pending)) {
            if (!pending.contains(t) || t.backupWorker() == null) {
                continue;
            }
            Optional<WorkerPool.Worker> b = pool.byName(t.backupWorker());
            if (b.isPresent() && b.get().freeSlots() > 0 && eligible(t, b.get())) {
                pending.remove(t);
                assignments.assign(t, b.get(), now, c);
            }
        }
    }

    private void queueAhead(List<LiveTask> pending, Instant now, Changes c) {
        List<LiveTask> runs = new ArrayList<>(pending.stream().filter(t -> t.kind() == TaskKind.RUN).toList());
        boolean progress = true;
        while (progress) {
            progress = false;
            for (WorkerPool.Worker w : pool.rotation()) {
                if (runs.size() < pool.activeSlots()) {
                    return;
                }
                if (w.queueRoom() == 0) {
                    continue;
                }
                LiveTask t = pick(runs, w);
                if (t != null) {
                    runs.remove(t);
                    pending.remove(t);
                    List<LiveTask> joined = join(t, runs);
                    runs.removeAll(joined);
                    pending.removeAll(joined);
                    assignments.assign(t, w, now, c);
                    progress = true;
                }
            }
        }
    }

    /** The first task {@code w} may take, from the next evaluation after the one served last. */
    private LiveTask pick(List<LiveTask> pending, WorkerPool.Worker w) {
        Map<Long, List<LiveTask>> byEvaluation = new LinkedHashMap<>();
        for (LiveTask t : pending) {
            byEvaluation.computeIfAbsent(work.projectOf(t).evaluationId(), k -> new ArrayList<>()).add(t);
        }
        List<Long> order = new ArrayList<>(byEvaluation.keySet());
        int start = 0;
        while (start < order.size() && order.get(start) <= lastEvaluationServed) {
            start++;
        }
        for (int i = 0; i < order.size(); i++) {
            long evaluation = order.get((start + i) % order.size());
            for (LiveTask t : byEvaluation.get(evaluation)) {
                if (eligible(t, w)) {
                    served(evaluation);
                    return t;
                }
            }
        }
        return null;
    }

    private void served(long evaluation) {
        long was = lastEvaluationServed;
        journal.keep(this, () -> lastEvaluationServed = was);
        lastEvaluationServed = evaluation;
    }

    /**
     * For a project planned blind whose results now show how long its tests take: the pending batches of the
     * project that {@code t} takes in before it is handed out ({@link DynamicPlanner#joinable}); they leave the
     * queue. Returns them (empty when nothing is joined).
     */
    private List<LiveTask> join(LiveTask t, List<LiveTask> pending) {
        OptionalDouble mean = blind.learnedMean(t.projectId());
        if (mean.isEmpty() || !t.joinable()) {
            return List.of();
        }
        List<LiveTask> following = pending.stream().filter(o -> o != t && o.projectId() == t.projectId()
                && o.joinable()).toList();
        int n = DynamicPlanner.joinable(t.nodeCount(), following.stream().map(LiveTask::nodeCount).toList(),
                mean.getAsDouble(), Planning.shape(pool.activeSlots()));
        List<LiveTask> joined = following.subList(0, n);
        for (LiveTask o : joined) {
            work.join(t, o);
        }
        return joined;
    }

    /**
     * Round-robin binding is strict while its worker can work; a worker lost under a task is avoided if possible;
     * a project kept on some workers ({@link SlowStart}) goes to none other.
     */
    boolean eligible(LiveTask t, WorkerPool.Worker w) {
        // only planned batches: work handed back after a loss, or a twin, may have to avoid the allowed workers
        Optional<Set<String>> allowed = confinable(t) ? blind.allowedWorkers(t.projectId()) : Optional.empty();
        if (allowed.isPresent() && !allowed.get().contains(w.name())) {
            return false;
        }
        String preferred = t.preferredWorker();
        if (preferred != null && !preferred.equals(w.name()) && pool.isAvailable(preferred)) {
            return false;
        }
        // a task handed back (its worker lost) while its twin runs never goes where that twin runs, nor a twin
        // where its original does: the two would share one worker's failure
        Optional<LiveTask> counterpart = work.counterpart(t);
        if (counterpart.isPresent() && counterpart.get().state() == TaskState.RUNNING
                && w.name().equals(counterpart.get().runningOnName())) {
            return false;
        }
        String avoid = t.avoidWorker();
        return avoid == null || !avoid.equals(w.name())
                || pool.activeNames().stream().noneMatch(n -> !n.equals(avoid));
    }

    private static boolean confinable(LiveTask t) {
        return t.attempt() == 0 && t.twinOf() == null && t.avoidWorker() == null;
    }
}
