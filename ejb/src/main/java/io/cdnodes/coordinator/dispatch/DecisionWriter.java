package io.cdnodes.coordinator.dispatch;

import io.cdnodes.coordinator.evaluation.Evaluation;
import io.cdnodes.coordinator.evaluation.EvaluationStatus;
import io.cdnodes.coordinator.evaluation.Project;
import io.cdnodes.coordinator.evaluation.ProjectStatus;
import io.cdnodes.coordinator.evaluation.Task;
import io.cdnodes.coordinator.results.TestAttemptRecord;
import io.cdnodes.coordinator.results.TestResultRecord;
import io.cdnodes.coordinator.scheduling.Decisions;
import io.cdnodes.coordinator.scheduling.EvaluationRow;
import io.cdnodes.coordinator.scheduling.ProjectRow;
import io.cdnodes.coordinator.scheduling.TaskRow;
import jakarta.enterprise.context.Dependent;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Persists what the scheduling core decided, inside the dispatcher's transaction: tasks (new, changed, done or
 * joined away), projects' and evaluations' progress, results (the core has already kept each node's first), and
 * the earlier attempts of tests run again.
 */
@Dependent
public class DecisionWriter {

    @PersistenceContext(unitName = "cdnodes")
    private EntityManager em;

    public void write(Decisions d) {
        d.tasks().forEach(this::task);
        d.projects().forEach(this::project);
        d.evaluations().forEach(this::evaluation);
        for (Decisions.ResultRow r : d.results()) {
            em.persist(new TestResultRecord(em.getReference(Project.class, r.projectId()), r.nodeId(), r.outcome(),
                    r.duration(), r.workerName(), r.workerAddress(), r.attempt(), r.message(), r.at(), r.details())
                    .flaky(r.flaky()).startedAt(r.startedAt()).twin(r.twin()));
        }
        for (Decisions.ResultRow a : d.attempts()) {
            em.persist(new TestAttemptRecord(em.getReference(Project.class, a.projectId()), a.nodeId(), a.attempt(),
                    a.outcome(), a.duration(), a.workerName(), a.workerAddress(), a.message(), a.startedAt(), a.at(),
                    a.details()));
        }
    }

    private void task(TaskRow r) {
        Task t = em.find(Task.class, r.id());
        if (r.removed()) {
            if (t != null) {
                em.remove(t);
            }
            return;
        }
        boolean isNew = t == null;
        if (isNew) {
            t = new Task(r.id(), em.getReference(Project.class, r.projectId()), r.kind());
        }
        t.update(r.state(), r.attempt(), r.nodeIds(), r.preferredWorker(), r.runningOn(), r.runningOnName(),
                r.assignedAt(), r.backupWorker(), r.avoidWorker(), r.estimate(), r.twinOf(), r.whole(), r.notBefore(),
                r.rerun());
        if (isNew) {
            em.persist(t);
        }
    }

    private void project(ProjectRow r) {
        Project p = em.find(Project.class, r.id());
        if (p == null) {
            return;
        }
        if (r.packageId() != null && p.getStatus() == ProjectStatus.FETCHING) {
            p.fetched(r.packageId(), r.packageBytes());
        }
        switch (r.status()) {
            case FAILED -> p.fail(r.reason());
            case DONE -> p.done(r.reason());
            default -> p.setStatus(r.status());
        }
        if (r.collectedCount() != null) {
            p.collected(r.collectedCount());
        }
    }

    private void evaluation(EvaluationRow r) {
        Evaluation e = em.find(Evaluation.class, r.id());
        if (e == null) {
            return;
        }
        if (r.startedAt() != null && r.status() != EvaluationStatus.QUEUED) {
            e.started(r.startedAt());
        }
        if (r.status().terminal()) {
            e.finished(r.status(), r.finishedAt());
        }
    }
}
