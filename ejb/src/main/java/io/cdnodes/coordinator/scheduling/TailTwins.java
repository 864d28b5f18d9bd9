package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.coordinator.evaluation.TaskKind;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * At the tail, when nothing is pending and a worker is idle: the running dynamic batch with the most work left
 * gets a speculative twin on that worker (never on its original's); whichever reports a node first wins, and the
 * copy left with nothing that counts is stopped.
 */
final class TailTwins {

    private static final System.Logger LOG = System.getLogger(TailTwins.class.getName());
    /** A running batch is worth duplicating only when this much of its estimated work is left. */
    static final double TWIN_THRESHOLD_SECONDS = 2.0;

    private final Journal journal;
    private final LiveWork work;
    private final WorkerPool pool;
    private final BlindProjects blind;
    private final Assignments assignments;

    TailTwins(Journal journal, LiveWork work, WorkerPool pool, BlindProjects blind, Assignments assignments) {
        this.journal = journal;
        this.work = work;
        this.pool = pool;
        this.blind = blind;
        this.assignments = assignments;
    }

    void duplicate(Instant now, Changes c) {
        List<WorkerPool.Worker> idle = pool.all().stream().filter(w -> w.freeSlots() > 0).toList();
        if (idle.isEmpty()) {
            return;
        }
        LiveTask best = null;
        List<String> bestLeft = List.of();
        double bestEstimate = TWIN_THRESHOLD_SECONDS;
        for (LiveTask t : work.running()) {
            // a rerun is not twinned: only its own report counts for its test (LiveProject.heardFrom)
            if (t.kind() != TaskKind.RUN || t.twinOf() != null || t.isRerun() || work.twinned(t.id())
                    || !RunOptions.DYNAMIC.equals(work.evaluationOf(t).options().strategy())) {
                continue;
            }
            // a project planned blind has guessed estimates; once its results show the real mean, that counts
            OptionalDouble mean = blind.learnedMean(t.projectId());
            double whole = mean.isPresent() ? t.nodeCount() * mean.getAsDouble() : t.estimate();
            if (whole <= bestEstimate || idle.stream().allMatch(w -> w.name().equals(t.runningOnName()))) {
                // cannot beat the best so far (what is left is at most the whole estimate), or nowhere to go
                continue;
            }
            List<String> left = t.rerun(work.unrecorded(t));
            double estimate = t.nodeIds().isEmpty() ? 0 : whole * left.size() / t.nodeCount();
            if (estimate > bestEstimate) {
                best = t;
                bestLeft = left;
                bestEstimate = estimate;
            }
        }
        if (best == null) {
            return;
        }
        String original = best.runningOnName();
        // a project kept on a few workers (SlowStart) gets no session elsewhere for a twin either
        Optional<Set<String>> allowed = blind.allowedWorkers(best.projectId());
        Optional<WorkerPool.Worker> to = idle.stream().filter(w -> !w.name().equals(original))
                .filter(w -> allowed.isEmpty() || allowed.get().contains(w.name()))
                .max(Comparator.comparingInt(WorkerPool.Worker::freeSlots));
        if (to.isEmpty()) {
            return;
        }
        LiveTask twin = LiveTask.twin(journal, work.nextTaskId(), best, bestLeft, bestEstimate);
        work.add(twin);
        LOG.log(System.Logger.Level.INFO, "task={0} evaluation={1}: {2} node(s), about {3} s left on worker={4}; "
                + "duplicated on worker={5}", best.id(), work.evaluationOf(best).id(), bestLeft.size(),
                Math.round(bestEstimate), original, to.get().name());
        assignments.assign(twin, to.get(), now, c);
    }
}
