package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.ProjectStatus;
import io.cdnodes.coordinator.evaluation.TaskKind;
import java.util.List;
import java.util.Optional;

/**
 * Brings evaluations into the live model through the {@link SchedulingStore}: every unfinished one at start (restart
 * recovery: what a stopped coordinator left running goes back to the queue with what is left to run), one when it
 * is recorded, or when an event names one of its projects. A queued project with a package and no task gets its
 * COLLECT.
 */
final class Loading {

    private static final System.Logger LOG = System.getLogger(Loading.class.getName());

    private final Journal journal;
    private final LiveWork work;
    private final SchedulingStore store;

    Loading(Journal journal, LiveWork work, SchedulingStore store) {
        this.journal = journal;
        this.work = work;
        this.store = store;
    }

    void start(Changes c) {
        work.startIdsAfter(store.maxTaskId());
        for (SchedulingStore.LiveLoad load : store.unfinished()) {
            collectWhatIsQueued(work.load(load), c);
        }
        List<LiveTask> running = work.running();
        running.forEach(t -> t.requeue(work.leftToRun(t)));
        if (!running.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "requeued {0} task(s) left running by the previous coordinator",
                    running.size());
        }
    }

    /** The evaluation, loaded if it is unfinished and not live yet; null when it is not (or no longer) live. */
    LiveEvaluation evaluation(long evaluationId, Changes c) {
        if (!work.knows(evaluationId)) {
            store.evaluation(evaluationId).filter(l -> !l.evaluation().status().terminal())
                    .ifPresent(l -> collectWhatIsQueued(work.load(l), c));
        }
        return work.evaluation(evaluationId);
    }

    /** The project, its evaluation loaded if needed; null when it is not live. */
    LiveProject project(long projectId, Changes c) {
        LiveProject p = work.project(projectId);
        if (p == null) {
            Optional<SchedulingStore.LiveLoad> load = store.evaluationOfProject(projectId);
            load.filter(l -> !l.evaluation().status().terminal()).filter(l -> !work.knows(l.evaluation().id()))
                    .ifPresent(l -> collectWhatIsQueued(work.load(l), c));
            p = work.project(projectId);
        }
        return p;
    }

    /** A fetched project's package is stored: it waits for its collection. */
    void fetched(LiveProject p, String packageId, long packageBytes) {
        p.fetched(packageId, packageBytes);
        collect(p);
    }

    private void collectWhatIsQueued(LiveEvaluation e, Changes c) {
        for (LiveProject p : work.projectsOf(e)) {
            if (p.status() == ProjectStatus.QUEUED && p.packageId() != null && p.openTasks().isEmpty()) {
                collect(p);
            }
        }
        c.changed(e.id());
    }

    private void collect(LiveProject p) {
        work.add(new LiveTask(journal, work.nextTaskId(), p.id(), TaskKind.COLLECT, List.of(), null, 0));
    }
}
