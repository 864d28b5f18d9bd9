package io.cdnodes.coordinator.evaluation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Lob;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One submission: a set of projects run with the same options. */
@Entity
@Table(name = "evaluation", indexes = @Index(name = "evaluation_owner", columnList = "owner"))
public class Evaluation {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private EvaluationStatus status = EvaluationStatus.QUEUED;

    @Column(nullable = false)
    private Instant submittedAt;

    private Instant startedAt;

    private Instant finishedAt;

    /** Where it came from, for people: "upload class.zip". */
    @Column(length = 1000)
    private String source;

    /**
     * The name of the API key that submitted it (see {@link io.cdnodes.coordinator.access.Ownership}); null for
     * an evaluation recorded before keys existed, which only the admin key sees.
     */
    @Column(length = 64)
    private String owner;

    /** The run options as JSON. */
    @Lob
    private String optionsJson;

    @OneToMany(mappedBy = "evaluation")
    @OrderBy("position")
    private List<Project> projects = new ArrayList<>();

    protected Evaluation() {
    }

    public Evaluation(Instant submittedAt, String source, String optionsJson, String owner) {
        this.submittedAt = submittedAt;
        this.source = source;
        this.optionsJson = optionsJson;
        this.owner = owner;
    }

    public Long getId() {
        return id;
    }

    public EvaluationStatus getStatus() {
        return status;
    }

    public Instant getSubmittedAt() {
        return submittedAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public String getSource() {
        return source;
    }

    public String getOwner() {
        return owner;
    }

    public String getOptionsJson() {
        return optionsJson;
    }

    public List<Project> getProjects() {
        return projects;
    }

    /** Marks the evaluation running when its first work starts. */
    public void started(Instant at) {
        if (status == EvaluationStatus.QUEUED) {
            status = EvaluationStatus.RUNNING;
            startedAt = at;
        }
    }

    public void finished(EvaluationStatus outcome, Instant at) {
        if (!outcome.terminal()) {
            throw new IllegalArgumentException("not a final status: " + outcome);
        }
        if (!status.terminal()) {
            status = outcome;
            finishedAt = at;
            if (startedAt == null) {
                startedAt = at;
            }
        }
    }
}
