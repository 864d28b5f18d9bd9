package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.Project;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Lob;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A unit of work: collect one project, or run a batch of its node ids. Its id is the assignment id on the
 * wire; each hand-out to a worker is a new attempt, and only results of the current attempt count.
 */
@Entity
@Table(name = "task", indexes = {
        @Index(name = "task_state", columnList = "state"),
        @Index(name = "task_project", columnList = "project_id")})
public class Task {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    private Project project;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private TaskKind kind;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private TaskState state = TaskState.PENDING;

    private int attempt;

    /** Node ids to run, one per line, in collection order. */
    @Lob
    private String nodeIds;

    /** The worker (name) round-robin planning gave it to; null when any worker may take it. */
    @Column(length = 200)
    private String preferredWorker;

    /** The connection running the current attempt. */
    @Column(length = 100)
    private String runningOn;

    @Column(length = 200)
    private String runningOnName;

    private Instant assignedAt;

    /** The worker that fetched the package ahead of time, to take over if the running worker is lost. */
    @Column(length = 200)
    private String backupWorker;

    /** A worker this task should not go to while another can take it (it was lost running this task). */
    @Column(length = 200)
    private String avoidWorker;

    /**
     * Estimated seconds of work, from duration history; orders the queue longest first. Nullable, so that a
     * database made before the column existed takes it without a default.
     */
    private Double estimate;

    /** For a speculative duplicate at the tail: the task it duplicates (the first result per node wins). */
    private Long twinOf;

    /**
     * The batch holds tests that must run together (they share a fixture wider than a test): when any of them is
     * left to run again, they all are, in one process, and results already recorded stay the first ones.
     * Nullable (null: false), so that a database made before the column existed takes it without a default.
     */
    private Boolean whole;

    protected Task() {
    }

    public Task(Project project, TaskKind kind, List<String> nodeIds, String preferredWorker) {
        this(project, kind, nodeIds, preferredWorker, 0);
    }

    public Task(Project project, TaskKind kind, List<String> nodeIds, String preferredWorker, double estimate) {
        this.project = project;
        this.kind = kind;
        this.nodeIds = String.join("\n", nodeIds);
        this.preferredWorker = preferredWorker;
        this.estimate = estimate;
    }

    /** A batch of tests some of which must run together ({@link #rerun}). */
    public static Task whole(Project project, List<String> nodeIds, double estimate) {
        Task t = new Task(project, TaskKind.RUN, nodeIds, null, estimate);
        t.whole = true;
        return t;
    }

    /** A speculative copy of {@code original}'s nodes still to run ({@link #rerun}). */
    public static Task twin(Task original, List<String> unrecorded, double estimate) {
        Task t = new Task(original.project, TaskKind.RUN, original.rerun(unrecorded), null, estimate);
        t.twinOf = original.id;
        t.whole = original.whole;
        t.avoidWorker = original.runningOnName;
        return t;
    }

    public String getBackupWorker() {
        return backupWorker;
    }

    public void setBackupWorker(String worker) {
        this.backupWorker = worker;
    }

    public String getAvoidWorker() {
        return avoidWorker;
    }

    public void avoid(String worker) {
        this.avoidWorker = worker;
    }

    public double getEstimate() {
        return estimate == null ? 0 : estimate;
    }

    public Long getTwinOf() {
        return twinOf;
    }

    public Long getId() {
        return id;
    }

    public Project getProject() {
        return project;
    }

    public TaskKind getKind() {
        return kind;
    }

    public TaskState getState() {
        return state;
    }

    public int getAttempt() {
        return attempt;
    }

    public List<String> nodeIdList() {
        return nodeIds == null || nodeIds.isEmpty() ? List.of() : Arrays.asList(nodeIds.split("\n"));
    }

    public int nodeCount() {
        return nodeIds == null || nodeIds.isEmpty() ? 0 : (int) nodeIds.chars().filter(c -> c == '\n').count() + 1;
    }

    public String getPreferredWorker() {
        return preferredWorker;
    }

    public String getRunningOn() {
        return runningOn;
    }

    public String getRunningOnName() {
        return runningOnName;
    }

    public Instant getAssignedAt() {
        return assignedAt;
    }

    /** Hands the task to a worker as a new attempt. */
    public int assign(String connectionId, String workerName, Instant at) {
        state = TaskState.RUNNING;
        attempt++;
        runningOn = connectionId;
        runningOnName = workerName;
        assignedAt = at;
        return attempt;
    }

    /** Puts the task back in the queue with the node ids still to run; any worker may take it. */
    public boolean isWhole() {
        return Boolean.TRUE.equals(whole);
    }

    /**
     * What runs again when {@code unrecorded} of this task's nodes have no result yet: just those, or, for a
     * {@linkplain #isWhole() whole} batch with any left, all of its nodes (tests that share a fixture get it in
     * the state pytest would give them only when the tests before them run too).
     */
    public List<String> rerun(List<String> unrecorded) {
        return isWhole() && !unrecorded.isEmpty() ? nodeIdList() : unrecorded;
    }

    /** Whether this batch may be joined with others: a planned batch that never ran, bound to no worker. */
    public boolean joinable() {
        return kind == TaskKind.RUN && state == TaskState.PENDING && attempt == 0 && twinOf == null
                && preferredWorker == null && avoidWorker == null && backupWorker == null;
    }

    /**
     * Takes another pending batch's node ids (after its own; each keeps its order) and estimate; the result must
     * run {@linkplain #isWhole() whole} if either had to. The other task is to be removed by the caller.
     */
    public void join(Task other) {
        boolean sameProject = project == other.project
                || project != null && other.project != null && project.getId().equals(other.project.getId());
        if (other == this || !joinable() || !other.joinable() || !sameProject) {
            throw new IllegalArgumentException("task " + other.id + " cannot join task " + id);
        }
        nodeIds = nodeIds.isEmpty() ? other.nodeIds : other.nodeIds.isEmpty() ? nodeIds : nodeIds + "\n" + other.nodeIds;
        estimate = getEstimate() + other.getEstimate();
        whole = isWhole() || other.isWhole() ? Boolean.TRUE : whole;
    }

    public void requeue(List<String> remaining) {
        state = TaskState.PENDING;
        nodeIds = String.join("\n", remaining);
        runningOn = null;
        runningOnName = null;
        preferredWorker = null;
    }

    public void done() {
        state = TaskState.DONE;
        runningOn = null;
    }
}
