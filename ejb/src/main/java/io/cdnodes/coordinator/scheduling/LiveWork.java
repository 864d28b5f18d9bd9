package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.TaskKind;
import io.cdnodes.coordinator.evaluation.TaskState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The live-work model: the unfinished evaluations, their projects, and the tasks that are not done, by id; which
 * twin duplicates which task; the next task id. A task leaves the model when it is done (its row says so once
 * saved); an evaluation, with its projects, when it ends. Every change is kept in the {@link Journal} first. Not
 * thread-safe: owned by the {@link Scheduler}.
 */
final class LiveWork {

    private final Journal journal;
    private final Map<Long, LiveEvaluation> evaluations = new TreeMap<>();
    private final Map<Long, LiveProject> projects = new LinkedHashMap<>();
    private final Map<Long, LiveTask> tasks = new LinkedHashMap<>();
    /** Open twins, by the id of the task each duplicates. */
    private final Map<Long, Long> twinByOriginal = new LinkedHashMap<>();
    private long lastTaskId;

    LiveWork(Journal journal) {
        this.journal = journal;
    }

    /** Takes in an evaluation as stored (its open tasks as they are: a RUNNING one stays running). */
    LiveEvaluation load(SchedulingStore.LiveLoad load) {
        List<Long> ids = load.projects().stream().map(p -> p.project().id()).toList();
        LiveEvaluation e = new LiveEvaluation(journal, load.evaluation().id(), load.options(), ids, load.evaluation());
        journal.keep(evaluations);
        evaluations.put(e.id(), e);
        for (SchedulingStore.ProjectLoad p : load.projects()) {
            journal.keep(projects);
            LiveProject project = new LiveProject(journal, p.project(), p.recorded(), p.selection(), p.attempts());
            projects.put(p.project().id(), project);
            for (TaskRow r : p.openTasks()) {
                LiveTask t = LiveTask.of(journal, r);
                add(t);
                if (t.isRerun()) {
                    // in id order: the newest rerun of a node is the one that counts
                    t.nodeIds().forEach(n -> project.rerunning(n, t.id()));
                }
            }
        }
        return e;
    }

    boolean knows(long evaluationId) {
        return evaluations.containsKey(evaluationId);
    }

    LiveEvaluation evaluation(long id) {
        return evaluations.get(id);
    }

    LiveProject project(long id) {
        return projects.get(id);
    }

    LiveEvaluation evaluationOf(LiveTask t) {
        return evaluations.get(projects.get(t.projectId()).evaluationId());
    }

    LiveProject projectOf(LiveTask t) {
        return projects.get(t.projectId());
    }

    /** The task if it is not done. */
    Optional<LiveTask> task(long id) {
        return Optional.ofNullable(tasks.get(id));
    }

    /** A new id for a task, after every id stored or given out. */
    long nextTaskId() {
        long was = lastTaskId;
        journal.keep(this, () -> lastTaskId = was);
        return ++lastTaskId;
    }

    void startIdsAfter(long maxStored) {
        lastTaskId = Math.max(lastTaskId, maxStored);
    }

    /** A new (or loaded) task joins the model. */
    void add(LiveTask t) {
        journal.keep(tasks);
        tasks.put(t.id(), t);
        lastTaskId = Math.max(lastTaskId, t.id());
        projects.get(t.projectId()).opened(t.id());
        if (t.twinOf() != null) {
            journal.keep(twinByOriginal);
            twinByOriginal.put(t.twinOf(), t.id());
        }
    }

    /** The task is done: it leaves the model. */
    void done(LiveTask t) {
        t.done();
        close(t);
    }

    /** {@code into} takes in the pending batch {@code other}, which leaves the model. */
    void join(LiveTask into, LiveTask other) {
        into.join(other);
        close(other);
    }

    private void close(LiveTask t) {
        journal.keep(tasks);
        tasks.remove(t.id());
        projects.get(t.projectId()).closed(t.id());
        if (t.twinOf() != null) {
            journal.keep(twinByOriginal);
            twinByOriginal.remove(t.twinOf(), t.id());
        }
    }

    /** The pending tasks in queue order: evaluation by id, then longest estimate first, then oldest first. */
    List<LiveTask> pending() {
        List<LiveTask> out = new ArrayList<>();
        for (LiveTask t : tasks.values()) {
            if (t.state() == TaskState.PENDING) {
                out.add(t);
            }
        }
        out.sort(Comparator.comparingLong((LiveTask t) -> projects.get(t.projectId()).evaluationId())
                .thenComparing(Comparator.comparingDouble(LiveTask::estimate).reversed())
                .thenComparingLong(LiveTask::id));
        return out;
    }

    /** The running tasks, oldest first. */
    List<LiveTask> running() {
        return tasks.values().stream().filter(t -> t.state() == TaskState.RUNNING).toList();
    }

    /** The tasks running on this connection, oldest first. */
    List<LiveTask> runningOn(String connectionId) {
        return tasks.values().stream().filter(t -> t.state() == TaskState.RUNNING
                && connectionId.equals(t.runningOn())).toList();
    }

    /** Whether a running task has an open twin. */
    boolean twinned(long taskId) {
        return twinByOriginal.containsKey(taskId);
    }

    /** The open twin of a task, or the open original of a twin. */
    Optional<LiveTask> counterpart(LiveTask t) {
        Long other = t.twinOf() != null ? t.twinOf() : twinByOriginal.get(t.id());
        return other == null ? Optional.empty() : task(other);
    }

    /** The evaluation's tasks that are not done. */
    List<LiveTask> tasksOf(LiveEvaluation e) {
        List<LiveTask> out = new ArrayList<>();
        for (long p : e.projectIds()) {
            projects.get(p).openTasks().forEach(id -> out.add(tasks.get(id)));
        }
        return out;
    }

    List<LiveProject> projectsOf(LiveEvaluation e) {
        return e.projectIds().stream().map(projects::get).toList();
    }

    /** A finished evaluation and its projects leave the model (their rows hold what is left to know). */
    void forget(LiveEvaluation e) {
        journal.keep(evaluations);
        journal.keep(projects);
        evaluations.remove(e.id());
        e.projectIds().forEach(projects::remove);
    }

    /**
     * The task's node ids that have no result yet and that it still answers for (not those another task runs again,
     * {@link LiveProject#heardFrom}), in their order.
     */
    List<String> unrecorded(LiveTask t) {
        LiveProject p = projects.get(t.projectId());
        List<String> out = new ArrayList<>();
        for (String id : t.nodeIds()) {
            if (!p.hasResult(id) && p.heardFrom(id, t.id())) {
                out.add(id);
            }
        }
        return out;
    }

    /**
     * What of a task must run again when it goes back to the queue: for a RUN, its nodes without a result (all of a
     * {@linkplain LiveTask#isWhole() whole} batch's when any is left); nothing for a COLLECT, which is simply redone.
     */
    List<String> leftToRun(LiveTask t) {
        return t.kind() == TaskKind.RUN ? t.rerun(unrecorded(t)) : List.of();
    }
}
