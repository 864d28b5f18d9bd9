package io.cdnodes.coordinator.results;

import io.cdnodes.coordinator.evaluation.Project;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Lob;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;

/**
 * What one run of a test did, the same in a result ({@link TestResultRecord}) and in an earlier attempt of a test
 * run again ({@link TestAttemptRecord}): its project and node id, outcome, duration, worker, one-line message,
 * report, and when it started and ended.
 */
@MappedSuperclass
public abstract class TestRun {

    public static final int MAX_NODE_ID = 8192;
    public static final int MAX_MESSAGE = 16_384;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    private Project project;

    @Column(nullable = false, length = MAX_NODE_ID)
    private String nodeId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private TestOutcome outcome;

    private double duration;

    @Column(length = 200)
    private String workerName;

    @Column(length = 300)
    private String workerAddress;

    @Lob
    private String message;

    /** The report (see {@link TestDetails}). */
    @Embedded
    private ReportColumns report;

    /** When it started: its TEST_STARTED, else its arrival less its duration; null for one the coordinator made. */
    private Instant startedAt;

    /** When it ended (its result arrived, or the coordinator made it). */
    @Column(nullable = false)
    private Instant recordedAt;

    protected TestRun() {
    }

    protected TestRun(Project project, String nodeId, TestOutcome outcome, double duration, String workerName,
                      String workerAddress, String message, TestDetails details, Instant startedAt,
                      Instant recordedAt) {
        this.project = project;
        this.nodeId = nodeId;
        this.outcome = outcome;
        this.duration = duration;
        this.workerName = workerName;
        this.workerAddress = workerAddress;
        this.message = message == null || message.length() <= MAX_MESSAGE ? message
                : message.substring(0, MAX_MESSAGE - 1) + "…";
        this.report = new ReportColumns(details);
        this.startedAt = startedAt;
        this.recordedAt = recordedAt;
    }

    public Project getProject() {
        return project;
    }

    public String getNodeId() {
        return nodeId;
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

    public String getMessage() {
        return message;
    }

    /** What pytest reported beyond the outcome and message. */
    public TestDetails getDetails() {
        return ReportColumns.details(report);
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getRecordedAt() {
        return recordedAt;
    }

    /** Sets when it started; {@link #getRecordedAt()} is when it ended. */
    protected void setStartedAt(Instant at) {
        this.startedAt = at;
    }
}
