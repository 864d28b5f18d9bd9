package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.ProjectStatus;
import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.coordinator.evaluation.TaskKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A collection ended: what it means ({@link TaskOutcomes}), and for a project that runs, its plan into RUN tasks by
 * the evaluation's strategy: round-robin (one per module, bound to workers in turn) or dynamic (longest first from
 * the project's duration history, in shrinking batches). A project with no history at all is planned blind: it is
 * watched and starts on probation on its collector ({@link BlindProjects}).
 */
final class Planning {

    /** What a batch costs beyond its tests on a worker that keeps its pytest session: a round trip or two. */
    static final double BATCH_OVERHEAD_SECONDS = 0.1;
    /** What a slot's first batch of a project costs beyond its tests: a pytest session starting and collecting. */
    static final double SESSION_STARTUP_SECONDS = 1.0;

    private final Journal journal;
    private final LiveWork work;
    private final WorkerPool pool;
    private final BlindProjects blind;
    private final SchedulingStore store;

    Planning(Journal journal, LiveWork work, WorkerPool pool, BlindProjects blind, SchedulingStore store) {
        this.journal = journal;
        this.work = work;
        this.pool = pool;
        this.blind = blind;
        this.store = store;
    }

    /**
     * How dynamic batches are cut for this many slots. Workers keep a pytest session per slot between batches of
     * a project, so a batch costs little beyond its tests: many small batches even out the tail (the first batch
     * of a slot pays the start-up, once).
     */
    static DynamicPlanner.Shape shape(int slots) {
        return new DynamicPlanner.Shape(slots, BATCH_OVERHEAD_SECONDS, 4, SESSION_STARTUP_SECONDS);
    }

    void collectionDone(WorkerPool.Worker collector, LiveProject p, CollectedNodes nodes, int exitCode, String detail,
                        Instant now, Changes c) {
        // a rerun runs only its selection of what is collected
        List<String> ids = p.selected(nodes.ids());
        RunOptions options = work.evaluation(p.evaluationId()).options();
        TaskOutcomes.Collection verdict = TaskOutcomes.afterCollect(exitCode, detail, ids, p.collectionErrors(),
                options.pytestArgs());
        // what the collection itself reported (a module that failed, or was skipped, as it was collected) counts too,
        // as pytest counts it
        p.collected(ids.size() + p.resultCount());
        switch (verdict.next()) {
            case RUN -> {
                p.status(ProjectStatus.RUNNING);
                plan(collector, p, ids, nodes, options, now, c);
            }
            case DONE -> p.done(verdict.note());
            case FAILED -> p.fail(verdict.note());
        }
    }

    private void plan(WorkerPool.Worker collector, LiveProject p, List<String> ids, CollectedNodes nodes,
                      RunOptions options, Instant now, Changes c) {
        // the collector may have kept the pytest session that collected: it should take the first batch
        blind.collectedBy(p.id(), collector.name());
        if (RunOptions.ROUND_ROBIN.equals(options.strategy())) {
            for (RoundRobinPlanner.Batch b : RoundRobinPlanner.plan(ids, pool.activeNames())) {
                work.add(new LiveTask(journal, work.nextTaskId(), p.id(), TaskKind.RUN, b.nodeIds(),
                        b.preferredWorker(), 0));
            }
            return;
        }
        Granularity granularity = Granularity.fromWireName(options.granularity()).orElse(Granularity.AUTO);
        Map<String, Double> history = store.durationHistory(p.name(), p.id());
        if (history.isEmpty()) {
            // every estimate is a guess: what the first results show lets the hand-out join batches cut too small,
            // and decide how many sessions the project is worth (until then it runs on its collector's)
            blind.plannedBlind(p.id(), collector.name(), now, c);
        }
        DurationEstimates estimates = new DurationEstimates(history);
        for (DynamicPlanner.Batch b : DynamicPlanner.plan(ids, nodes.scopes(), granularity, estimates,
                shape(pool.activeSlots()))) {
            long id = work.nextTaskId();
            work.add(b.whole() ? LiveTask.whole(journal, id, p.id(), b.nodeIds(), b.estimate())
                    : new LiveTask(journal, id, p.id(), TaskKind.RUN, b.nodeIds(), null, b.estimate()));
        }
    }
}
