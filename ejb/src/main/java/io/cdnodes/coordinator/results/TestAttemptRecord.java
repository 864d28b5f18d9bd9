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
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;

/**
 * An attempt of a test that failed or errored and was run again ({@code reruns}): what it did, kept beside the
 * test's result ({@link TestResultRecord}, the last attempt's), numbered from 1 in the order they ran.
 */
@Entity
@Table(name = "test_attempt",
        uniqueConstraints = @UniqueConstraint(name = "test_attempt_node", columnNames = {"project_id", "nodeId",
                "attemptNumber"}),
        indexes = @Index(name = "test_attempt_project", columnList = "project_id"))
public class TestAttemptRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    private Project project;

    @Column(nullable = false, length = TestResultRecord.MAX_NODE_ID)
    private String nodeId;

    /** 1 for the first run, 2 for the first rerun... */
    @Column(nullable = false)
    private int attemptNumber;

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

    @Embedded
    private ReportColumns report;

    @Column(nullable = false)
    private Instant recordedAt;

    /** When it started; null for an attempt the coordinator ended itself (no result came). */
    private Instant startedAt;

    protected TestAttemptRecord() {
    }

    public TestAttemptRecord(Project project, String nodeId, int number, TestOutcome outcome, double duration,
                             String workerName, String workerAddress, String message, Instant startedAt,
                             Instant recordedAt, TestDetails details) {
        this.startedAt = startedAt;
        this.project = project;
        this.nodeId = nodeId;
        this.attemptNumber = number;
        this.outcome = outcome;
        this.duration = duration;
        this.workerName = workerName;
        this.workerAddress = workerAddress;
        this.message = message == null || message.length() <= TestResultRecord.MAX_MESSAGE ? message
                : message.substring(0, TestResultRecord.MAX_MESSAGE - 1) + "…";
        this.recordedAt = recordedAt;
        this.report = new ReportColumns(details);
    }

    public Project getProject() {
        return project;
    }

    public String getNodeId() {
        return nodeId;
    }

    public int getNumber() {
        return attemptNumber;
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

    public Instant getRecordedAt() {
        return recordedAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public TestDetails getDetails() {
        return ReportColumns.details(report);
    }
}
