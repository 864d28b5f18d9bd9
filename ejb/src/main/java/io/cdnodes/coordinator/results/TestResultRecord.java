package io.cdnodes.coordinator.results;

import io.cdnodes.coordinator.evaluation.Project;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
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
public class TestResultRecord extends TestRun {

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

    /** The file part of the node id ({@code tests/test_a.py}). */
    @Column(nullable = false, length = 2048)
    private String module;

    /** The task's attempt that reported it. */
    private int attempt;

    /** It failed or errored before it passed on a rerun; its earlier attempts are {@link TestAttemptRecord}s. */
    private boolean flaky;

    /** A speculative twin of its batch ran it, and reported first (null: no). */
    private Boolean twin;

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
        super(project, nodeId, outcome, duration, workerName, workerAddress, message, details, null, recordedAt);
        this.module = NodeIds.module(nodeId);
        this.attempt = attempt;
    }

    public Long getId() {
        return id;
    }

    public String getModule() {
        return module;
    }

    public int getAttempt() {
        return attempt;
    }

    public boolean isFlaky() {
        return flaky;
    }

    /** Marks it flaky: it passed on a rerun after failing. */
    public TestResultRecord flaky(boolean value) {
        this.flaky = value;
        return this;
    }

    public boolean isTwin() {
        return Boolean.TRUE.equals(twin);
    }

    /** Marks it as run by a twin of its batch. */
    public TestResultRecord twin(boolean value) {
        this.twin = value ? Boolean.TRUE : null;
        return this;
    }

    /** When it started; its {@link #getRecordedAt()} is when it ended. */
    public TestResultRecord startedAt(Instant at) {
        setStartedAt(at);
        return this;
    }
}
