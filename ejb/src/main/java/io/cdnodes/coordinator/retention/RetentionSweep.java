package io.cdnodes.coordinator.retention;

import io.cdnodes.coordinator.evaluation.EvaluationStatus;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The database side of retention, inside the caller's transaction: which evaluations have expired, and deleting
 * them with everything that belongs to them by bulk statements (results, tasks, projects, then the evaluations).
 * The same conditions as {@link RetentionPolicy#expired}, as a query, so that the database selects them.
 */
public final class RetentionSweep {

    private final EntityManager em;

    public RetentionSweep(EntityManager em) {
        this.em = em;
    }

    /** At most {@code limit} evaluations that finished before {@code cutoff}, oldest first. */
    public List<Long> expired(Instant cutoff, int limit) {
        return em.createQuery("select e.id from Evaluation e where e.status in :s and e.finishedAt is not null "
                        + "and e.finishedAt < :cutoff order by e.id", Long.class)
                .setParameter("s", Arrays.stream(EvaluationStatus.values()).filter(EvaluationStatus::terminal).toList())
                .setParameter("cutoff", cutoff).setMaxResults(limit).getResultList();
    }

    /**
     * Deletes the evaluations and what belongs to them.
     *
     * @return the ids of the packages their projects used, for the caller to delete those no one else uses
     */
    public Set<String> delete(List<Long> evaluationIds) {
        if (evaluationIds.isEmpty()) {
            return Set.of();
        }
        Set<String> packages = new LinkedHashSet<>(em.createQuery("select distinct p.packageId from Project p "
                + "where p.evaluation.id in :ids and p.packageId is not null", String.class)
                .setParameter("ids", evaluationIds).getResultList());
        String projects = "(select p.id from Project p where p.evaluation.id in :ids)";
        em.createQuery("delete from TestResultRecord r where r.project.id in " + projects)
                .setParameter("ids", evaluationIds).executeUpdate();
        em.createQuery("delete from TestAttemptRecord a where a.project.id in " + projects)
                .setParameter("ids", evaluationIds).executeUpdate();
        em.createQuery("delete from Task t where t.project.id in " + projects)
                .setParameter("ids", evaluationIds).executeUpdate();
        em.createQuery("delete from Project p where p.evaluation.id in :ids")
                .setParameter("ids", evaluationIds).executeUpdate();
        em.createQuery("delete from Evaluation e where e.id in :ids")
                .setParameter("ids", evaluationIds).executeUpdate();
        return packages;
    }

    /** Whether any project (of any evaluation, finished or not) uses the package. */
    public boolean packageInUse(String packageId) {
        return !em.createQuery("select p.id from Project p where p.packageId = :id", Long.class)
                .setParameter("id", packageId).setMaxResults(1).getResultList().isEmpty();
    }
}
