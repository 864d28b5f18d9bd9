package io.cdnodes.coordinator.results;

import io.cdnodes.coordinator.evaluation.Project;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
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
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;

/**
 * The result of one pytest node of one project: its last attempt's. At most one per project and node id; attempts
 * before it (a test run again, {@code reruns}) are {@link TestAttemptRecord}s.
 */
@Entity
@Table(name = "test_result",
        uniqueConstraints = @UniqueConstraint(name = "test_result_node", columnNames = {"project_id", "nodeId"}),
        indexes = @Index(name = "test_result_worker", columnList = "workerName"))
public class TestResultRecord {

    public static final int MAX_NODE_ID = 8192;
    public static final int MAX_MESSAGE = 16_384;

    /** The sequence that numbers results, {@link #ID_BLOCK} at a time, so that their inserts go out in batches. */
    public static final String ID_SEQUENCE = "test_result_ids";
    public static final int ID_BLOCK = 100;

    /**
     * From a sequence, not an identity column: Hibernate cannot batch inserts whose ids the database gives, and
     * results are most of what the coordinator writes. Databases made before number from their identity column's
     * values; {@code ResultIds} moves the sequence past them at start.
     */
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = ID_SEQUENCE)
    @SequenceGenerator(name = ID_SEQUENCE, sequenceName = ID_SEQUENCE, allocationSize = ID_BLOCK)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    private Project project;

    @Column(nullable = false, length = MAX_NODE_ID)
    private String nodeId;

    /** The file part of the node id ({@code tests/test_a.py}). */
    @Column(nullable = false, length = 2048)
    private String module;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private TestOutcome outcome;

    private double duration;

    @Column(length = 200)
    private String workerName;

    @Column(length = 300)
    private String workerAddress;

    private int attempt;

    @Lob
    private String message;

    /** The report (see {@link TestDetails}). */
    @Embedded
    private ReportColumns report;

    /** It failed or errored before it passed on a rerun; its earlier attempts are {@link TestAttemptRecord}s. */
    private boolean flaky;

    /** When it started (see {@code Decisions.ResultRow}); null for a result the coordinator made. */
    private Instant startedAt;

    @Column(nullable = false)
    private Instant recordedAt;

    protected TestResultRecord() {
    }

    public TestResultRecord(Project project, String nodeId, TestOutcome outcome, double duration, String workerName,
                            String workerAddress, int attempt, String message, Instant recordedAt) {
        this(project, nodeId, outcome, duration, workerName, workerAddress, attempt, message, recordedAt,
                TestDetails.NONE);
    }

    public TestResultRecord(Project project, String nodeId, TestOutcome outcome, double duration, String workerName,
                            String workerAddress, int attempt, String message, Instant recordedAt,
                            TestDetails details) {
        this.report = new ReportColumns(details);
        this.project = project;
        this.nodeId = nodeId;
        this.module = NodeIds.module(nodeId);
        this.outcome = outcome;
        this.duration = duration;
        this.workerName = workerName;
        this.workerAddress = workerAddress;
        this.attempt = attempt;
        this.message = message == null || message.length() <= MAX_MESSAGE ? message
                : message.substring(0, MAX_MESSAGE - 1) + "…";
        this.recordedAt = recordedAt;
    }

    public Long getId() {
        return id;
    }

    public Project getProject() {
        return project;
    }

    public String getNodeId() {
        return nodeId;
    }

    public String getModule() {
        return module;
    }

    public TestOutcome getOutcome() {
        return outcome;
    }

    public double getDuration() {
        return duration;
    }

    public String getWorkerName() {
        return workerName;
    }

    public String getWorkerAddress() {
        return workerAddress;
    }

    public int getAttempt() {
        return attempt;
    }

    public String getMessage() {
        return message;
    }

    public Instant getRecordedAt() {
        return recordedAt;
    }

    /** What pytest reported beyond the outcome and message. */
    public TestDetails getDetails() {
        return ReportColumns.details(report);
    }

    public boolean isFlaky() {
        return flaky;
    }

    /** Marks it flaky: it passed on a rerun after failing. */
    public TestResultRecord flaky(boolean value) {
        this.flaky = value;
        return this;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    /** When it started; its {@link #getRecordedAt()} is when it ended. */
    public TestResultRecord startedAt(Instant at) {
        this.startedAt = at;
        return this;
    }
}
