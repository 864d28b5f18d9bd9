package io.cdnodes.coordinator.results;

import io.cdnodes.coordinator.evaluation.Project;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
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
public class TestAttemptRecord extends TestRun {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    /** 1 for the first run, 2 for the first rerun... */
    @Column(nullable = false)
    private int attemptNumber;

    protected TestAttemptRecord() {
    }

    /** @param startedAt when it started; null for an attempt the coordinator ended itself (no result came) */
    public TestAttemptRecord(Project project, String nodeId, int number, TestOutcome outcome, double duration,
                             String workerName, String workerAddress, String message, Instant startedAt,
                             Instant recordedAt, TestDetails details) {
        super(project, nodeId, outcome, duration, workerName, workerAddress, message, details, startedAt, recordedAt);
        this.attemptNumber = number;
    }

    public int getNumber() {
        return attemptNumber;
    }
}
