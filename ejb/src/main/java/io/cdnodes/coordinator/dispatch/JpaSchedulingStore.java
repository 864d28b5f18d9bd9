package io.cdnodes.coordinator.dispatch;

import io.cdnodes.coordinator.evaluation.Evaluation;
import io.cdnodes.coordinator.evaluation.EvaluationStatus;
import io.cdnodes.coordinator.evaluation.OptionsJson;
import io.cdnodes.coordinator.evaluation.Project;
import io.cdnodes.coordinator.evaluation.Task;
import io.cdnodes.coordinator.evaluation.TaskState;
import io.cdnodes.coordinator.results.TestOutcome;
import io.cdnodes.coordinator.scheduling.EvaluationRow;
import io.cdnodes.coordinator.scheduling.ProjectRow;
import io.cdnodes.coordinator.scheduling.SchedulingStore;
import io.cdnodes.coordinator.scheduling.TaskRow;
import jakarta.enterprise.context.Dependent;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The scheduling core's reads, with JPA, inside the dispatcher's transaction. */
@Dependent
public class JpaSchedulingStore implements SchedulingStore {

    @PersistenceContext(unitName = "cdnodes")
    private EntityManager em;

    @Override
    public List<LiveLoad> unfinished() {
        return em.createQuery("select e from Evaluation e where e.status in :live order by e.id", Evaluation.class)
                .setParameter("live", List.of(EvaluationStatus.QUEUED, EvaluationStatus.RUNNING)).getResultList()
                .stream().map(this::load).toList();
    }

    @Override
    public Optional<LiveLoad> evaluation(long evaluationId) {
        return Optional.ofNullable(em.find(Evaluation.class, evaluationId)).map(this::load);
    }

    @Override
    public Optional<LiveLoad> evaluationOfProject(long projectId) {
        return Optional.ofNullable(em.find(Project.class, projectId)).map(p -> load(p.getEvaluation()));
    }

    @Override
    public Map<String, Double> durationHistory(String projectName, long excludingProjectId) {
        Map<String, Double> out = new HashMap<>();
        for (Object[] row : em.createQuery("select r.nodeId, avg(r.duration) from TestResultRecord r "
                + "where r.project.name = :n and r.project.id <> :p and r.outcome <> :error group by r.nodeId",
                Object[].class).setParameter("n", projectName).setParameter("p", excludingProjectId)
                .setParameter("error", TestOutcome.ERROR).getResultList()) {
            out.put((String) row[0], ((Number) row[1]).doubleValue());
        }
        return out;
    }

    @Override
    public long maxTaskId() {
        Long max = em.createQuery("select max(t.id) from Task t", Long.class).getSingleResult();
        return max == null ? 0 : max;
    }

    private LiveLoad load(Evaluation e) {
        Map<Long, List<TaskRow>> open = new HashMap<>();
        for (Task t : em.createQuery("select t from Task t where t.project.evaluation = :e and t.state <> :d "
                + "order by t.id", Task.class).setParameter("e", e).setParameter("d", TaskState.DONE).getResultList()) {
            open.computeIfAbsent(t.getProject().getId(), k -> new ArrayList<>()).add(row(t));
        }
        List<ProjectLoad> projects = new ArrayList<>();
        for (Project p : e.getProjects()) {
            Set<String> recorded = p.getStatus().terminal() ? Set.of() : Set.copyOf(em.createQuery(
                    "select r.nodeId from TestResultRecord r where r.project.id = :p", String.class)
                    .setParameter("p", p.getId()).getResultList());
            projects.add(new ProjectLoad(new ProjectRow(p.getId(), e.getId(), p.getName(), p.getPackageId(),
                    p.getPackageBytes(), p.getStatus(), p.getFailureReason(), p.getCollectedCount()), recorded,
                    open.getOrDefault(p.getId(), List.of()),
                    p.getSelection() == null ? null : Set.copyOf(p.getSelection()),
                    p.getStatus().terminal() ? Map.of() : attempts(p.getId())));
        }
        return new LiveLoad(new EvaluationRow(e.getId(), e.getStatus(), e.getStartedAt(), e.getFinishedAt()),
                OptionsJson.read(e.getOptionsJson()), projects);
    }

    /** How many earlier attempts are kept of each node of the project that ran again. */
    private Map<String, Integer> attempts(long projectId) {
        Map<String, Integer> out = new HashMap<>();
        for (Object[] row : em.createQuery("select a.nodeId, count(a) from TestAttemptRecord a where a.project.id = :p "
                + "group by a.nodeId", Object[].class).setParameter("p", projectId).getResultList()) {
            out.put((String) row[0], ((Number) row[1]).intValue());
        }
        return out;
    }

    private static TaskRow row(Task t) {
        return new TaskRow(t.getId(), t.getProject().getId(), t.getKind(), t.getState(), t.getAttempt(),
                t.nodeIdList(), t.getPreferredWorker(), t.getRunningOn(), t.getRunningOnName(), t.getAssignedAt(),
                t.getBackupWorker(), t.getAvoidWorker(), t.getEstimate(), t.getTwinOf(), t.isWhole(), false, t.getNotBefore(), t.isRerun());
    }
}
