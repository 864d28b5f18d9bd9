package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.TaskKind;
import io.cdnodes.coordinator.evaluation.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A unit of work in the scheduler's memory: collect one project, or run a batch of its node ids. Its id is the
 * assignment id on the wire; each hand-out to a worker is a new attempt, and only reports of the current attempt
 * count. Every change is kept in the {@link Journal} first. Not thread-safe: owned by {@link LiveWork}.
 */
final class LiveTask {

    private final Journal journal;
    private final long id;
    private final long projectId;
    private final TaskKind kind;
    private TaskState state = TaskState.PENDING;
    private int attempt;
    private List<String> nodeIds;
    private String preferredWorker;
    private String runningOn;
    private String runningOnName;
    private Instant assignedAt;
    private String backupWorker;
    private String avoidWorker;
    private double estimate;
    private Long twinOf;
    private boolean whole;
    private boolean removed;
    private Instant notBefore;
    private boolean rerun;

    LiveTask(Journal journal, long id, long projectId, TaskKind kind, List<String> nodeIds, String preferredWorker,
             double estimate) {
        this.journal = journal;
        this.id = id;
        this.projectId = projectId;
        this.kind = kind;
        this.nodeIds = List.copyOf(nodeIds);
        this.preferredWorker = preferredWorker;
        this.estimate = estimate;
        keep();
    }

    /** A task as it was stored. */
    static LiveTask of(Journal journal, TaskRow r) {
        LiveTask t = new LiveTask(journal, r.id(), r.projectId(), r.kind(), r.nodeIds(), r.preferredWorker(),
                r.estimate());
        t.state = r.state();
        t.attempt = r.attempt();
        t.runningOn = r.runningOn();
        t.runningOnName = r.runningOnName();
        t.assignedAt = r.assignedAt();
        t.backupWorker = r.backupWorker();
        t.avoidWorker = r.avoidWorker();
        t.twinOf = r.twinOf();
        t.whole = r.whole();
        t.notBefore = r.notBefore();
        t.rerun = r.rerun();
        return t;
    }

    /**
     * A test that failed or errored, to run again (the {@code reruns} option): alone, not before {@code notBefore},
     * away from the worker it failed on while another can take it.
     */
    static LiveTask rerunOf(Journal journal, long id, long projectId, String nodeId, String failedOn,
                            Instant notBefore, double estimate) {
        LiveTask t = new LiveTask(journal, id, projectId, TaskKind.RUN, List.of(nodeId), null, estimate);
        t.rerun = true;
        t.avoidWorker = failedOn;
        t.notBefore = notBefore;
        return t;
    }

    /** A batch of tests some of which must run together ({@link #rerun}). */
    static LiveTask whole(Journal journal, long id, long projectId, List<String> nodeIds, double estimate) {
        LiveTask t = new LiveTask(journal, id, projectId, TaskKind.RUN, nodeIds, null, estimate);
        t.whole = true;
        return t;
    }

    /** A speculative copy of {@code original}'s nodes still to run ({@link #rerun}), kept off its worker. */
    static LiveTask twin(Journal journal, long id, LiveTask original, List<String> unrecorded, double estimate) {
        LiveTask t = new LiveTask(journal, id, original.projectId, TaskKind.RUN, original.rerun(unrecorded), null,
                estimate);
        t.twinOf = original.id;
        t.whole = original.whole;
        t.avoidWorker = original.runningOnName;
        return t;
    }

    TaskRow row() {
        return new TaskRow(id, projectId, kind, state, attempt, nodeIds, preferredWorker, runningOn, runningOnName,
                assignedAt, backupWorker, avoidWorker, estimate, twinOf, whole, removed, notBefore, rerun);
    }

    long id() {
        return id;
    }

    long projectId() {
        return projectId;
    }

    TaskKind kind() {
        return kind;
    }

    TaskState state() {
        return state;
    }

    int attempt() {
        return attempt;
    }

    List<String> nodeIds() {
        return nodeIds;
    }

    int nodeCount() {
        return nodeIds.size();
    }

    String preferredWorker() {
        return preferredWorker;
    }

    String runningOn() {
        return runningOn;
    }

    String runningOnName() {
        return runningOnName;
    }

    String backupWorker() {
        return backupWorker;
    }

    String avoidWorker() {
        return avoidWorker;
    }

    double estimate() {
        return estimate;
    }

    Long twinOf() {
        return twinOf;
    }

    boolean isWhole() {
        return whole;
    }

    boolean removed() {
        return removed;
    }

    /** Whether it runs again a test that failed or errored. */
    boolean isRerun() {
        return rerun;
    }

    /** Whether it may be handed out now (a rerun waits for its delay). */
    boolean readyAt(Instant now) {
        return notBefore == null || !now.isBefore(notBefore);
    }

    Instant notBefore() {
        return notBefore;
    }

    /** Hands the task to a worker as a new attempt; returns the attempt. */
    int assign(String connectionId, String workerName, Instant at) {
        keep();
        state = TaskState.RUNNING;
        attempt++;
        runningOn = connectionId;
        runningOnName = workerName;
        assignedAt = at;
        return attempt;
    }

    /**
     * What runs again when {@code unrecorded} of this task's nodes have no result yet: just those, or, for a
     * {@linkplain #isWhole() whole} batch with any left, all of its nodes (tests that share a fixture get it in
     * the state pytest would give them only when the tests before them run too).
     */
    List<String> rerun(List<String> unrecorded) {
        return whole && !unrecorded.isEmpty() ? nodeIds : unrecorded;
    }

    /** Whether this batch may be joined with others: a planned batch that never ran, bound to no worker. */
    boolean joinable() {
        return kind == TaskKind.RUN && state == TaskState.PENDING && attempt == 0 && twinOf == null
                && preferredWorker == null && avoidWorker == null && backupWorker == null && !rerun;
    }

    /**
     * Takes another pending batch of the same project: its node ids (after its own; each keeps its order) and
     * estimate; the result must run {@linkplain #isWhole() whole} if either had to. The other task is removed.
     */
    void join(LiveTask other) {
        if (other == this || !joinable() || !other.joinable() || projectId != other.projectId) {
            throw new IllegalArgumentException("task " + other.id + " cannot join task " + id);
        }
        keep();
        List<String> joined = new ArrayList<>(nodeIds);
        joined.addAll(other.nodeIds);
        nodeIds = List.copyOf(joined);
        estimate += other.estimate;
        whole = whole || other.whole;
        other.keep();
        other.removed = true;
        other.state = TaskState.DONE;
    }

    /** Puts the task back in the queue with the node ids still to run; any worker may take it. */
    void requeue(List<String> remaining) {
        keep();
        state = TaskState.PENDING;
        nodeIds = List.copyOf(remaining);
        runningOn = null;
        runningOnName = null;
        preferredWorker = null;
    }

    void done() {
        keep();
        state = TaskState.DONE;
        runningOn = null;
    }

    void setBackupWorker(String worker) {
        keep();
        backupWorker = worker;
    }

    void avoid(String worker) {
        keep();
        avoidWorker = worker;
    }

    private void keep() {
        if (journal.has(this)) {
            return;
        }
        TaskRow was = row();
        journal.keep(this, () -> {
            state = was.state();
            attempt = was.attempt();
            nodeIds = was.nodeIds();
            preferredWorker = was.preferredWorker();
            runningOn = was.runningOn();
            runningOnName = was.runningOnName();
            assignedAt = was.assignedAt();
            backupWorker = was.backupWorker();
            avoidWorker = was.avoidWorker();
            estimate = was.estimate();
            whole = was.whole();
            removed = was.removed();
        });
    }
}
