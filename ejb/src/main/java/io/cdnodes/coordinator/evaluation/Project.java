package io.cdnodes.coordinator.evaluation;

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
import java.util.Collection;
import java.util.List;

/** One project of an evaluation: a package of its files and where its run stands. */
@Entity
@Table(name = "project", indexes = {@Index(name = "project_evaluation", columnList = "evaluation_id"),
        @Index(name = "project_package", columnList = "packageId")})
public class Project {

    public static final int MAX_REASON = 4000;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    private Evaluation evaluation;

    /** Its order within the evaluation. */
    private int position;

    @Column(nullable = false, length = 500)
    private String name;

    /** SHA-256 of its package; null when it could not be fetched. */
    @Column(length = 64)
    private String packageId;

    private long packageBytes;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private ProjectStatus status = ProjectStatus.QUEUED;

    @Column(length = MAX_REASON)
    private String failureReason;

    /** How many tests collection found; null until collected. */
    private Integer collectedCount;

    /**
     * The node ids to run, one per line, of what collection finds (a rerun of some tests); null runs them all.
     */
    @Lob
    private String selection;

    protected Project() {
    }

    public Project(Evaluation evaluation, int position, String name, String packageId, long packageBytes) {
        this.evaluation = evaluation;
        this.position = position;
        this.name = name;
        this.packageId = packageId;
        this.packageBytes = packageBytes;
    }

    /** A project whose files are still to be fetched from its repository: no package yet. */
    public static Project awaitingFetch(Evaluation evaluation, int position, String name) {
        Project p = new Project(evaluation, position, name, null, 0);
        p.status = ProjectStatus.FETCHING;
        return p;
    }

    public Long getId() {
        return id;
    }

    public Evaluation getEvaluation() {
        return evaluation;
    }

    public int getPosition() {
        return position;
    }

    public String getName() {
        return name;
    }

    public String getPackageId() {
        return packageId;
    }

    public long getPackageBytes() {
        return packageBytes;
    }

    public ProjectStatus getStatus() {
        return status;
    }

    public String getFailureReason() {
        return failureReason;
    }

    public Integer getCollectedCount() {
        return collectedCount;
    }

    /** The node ids to run of what collection finds, in no particular order; null when all of them run. */
    public List<String> getSelection() {
        return selection == null ? null : List.of(selection.split("\n"));
    }

    /** Runs only these of the tests collection finds (a rerun); nothing else of them gets a result. */
    public void select(Collection<String> nodeIds) {
        if (nodeIds.isEmpty() || nodeIds.stream().anyMatch(n -> n.isEmpty() || n.contains("\n"))) {
            throw new IllegalArgumentException("a selection is a non-empty set of node ids, one line each");
        }
        this.selection = String.join("\n", nodeIds);
    }

    public void setStatus(ProjectStatus status) {
        this.status = status;
    }

    /** Its repository was fetched and packed: it waits for collection now. */
    public void fetched(String packageId, long packageBytes) {
        if (status != ProjectStatus.FETCHING) {
            throw new IllegalStateException("project " + id + " is " + status + ", not fetching");
        }
        this.packageId = packageId;
        this.packageBytes = packageBytes;
        this.status = ProjectStatus.QUEUED;
    }

    public void collected(int count) {
        this.collectedCount = count;
    }

    /** Ends the project as failed with a reason the user will read. */
    public void fail(String reason) {
        this.status = ProjectStatus.FAILED;
        this.failureReason = bounded(reason);
    }

    /** Ends the project as done, with a note (collection errors, no tests) or none. */
    public void done(String note) {
        this.status = ProjectStatus.DONE;
        this.failureReason = note == null ? null : bounded(note);
    }

    private static String bounded(String s) {
        return s.length() <= MAX_REASON ? s : s.substring(0, MAX_REASON - 1) + "…";
    }
}
