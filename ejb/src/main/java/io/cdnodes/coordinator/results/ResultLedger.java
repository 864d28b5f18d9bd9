package io.cdnodes.coordinator.results;

import io.cdnodes.coordinator.evaluation.Project;
import io.cdnodes.coordinator.health.CoordinatorMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes and checks per-test results inside the caller's transaction. A node id is recorded once per
 * project: the first result wins and later ones for the same node are dropped, so a test is never counted
 * twice. Which nodes have a result is kept in memory for recently active projects ({@link RecordedNodes}), so
 * that recording costs an insert and no look-up. Called only under the dispatcher's lock, the one writer of
 * results; after a rollback the dispatcher calls {@link #rolledBack()}.
 */
@ApplicationScoped
public class ResultLedger {

    @PersistenceContext(unitName = "cdnodes")
    private EntityManager em;

    @Inject
    private CoordinatorMetrics metrics;

    private final RecordedNodes recorded = new RecordedNodes(projectId -> em.createQuery(
            "select r.nodeId from TestResultRecord r where r.project.id = :p", String.class)
            .setParameter("p", projectId).getResultList());

    /** Records a result unless the node already has one; returns whether it was recorded. */
    public boolean record(Project project, String nodeId, TestOutcome outcome, double duration, String workerName,
                          String workerAddress, int attempt, String message, Instant at) {
        if (nodeId.length() > TestResultRecord.MAX_NODE_ID || !recorded.add(project.getId(), nodeId)) {
            return false;
        }
        em.persist(new TestResultRecord(project, nodeId, outcome, Math.max(0, duration), workerName, workerAddress,
                attempt, message, at));
        metrics.resultRecorded();
        return true;
    }

    /** One result to record with {@link #recordAll}. */
    public record Entry(String nodeId, TestOutcome outcome, double duration, String workerName, String workerAddress,
                        int attempt, String message, Instant at) {
    }

    /**
     * Records several results of one project with one look-up for those already there; the first of each
     * node wins. Returns how many were recorded.
     */
    public int recordAll(Project project, List<Entry> entries) {
        if (entries.isEmpty()) {
            return 0;
        }
        int n = 0;
        for (Entry e : entries) {
            if (e.nodeId().length() > TestResultRecord.MAX_NODE_ID || !recorded.add(project.getId(), e.nodeId())) {
                continue;
            }
            em.persist(new TestResultRecord(project, e.nodeId(), e.outcome(), Math.max(0, e.duration()), e.workerName(),
                    e.workerAddress(), e.attempt(), e.message(), e.at()));
            metrics.resultRecorded();
            n++;
        }
        return n;
    }

    /** What this transaction recorded may not be in the database: forget what is kept in memory. */
    public void rolledBack() {
        recorded.clear();
    }

    /** How many results the project has. */
    public long count(Project project) {
        return em.createQuery("select count(r) from TestResultRecord r where r.project = :p", Long.class)
                .setParameter("p", project).getSingleResult();
    }

    /** The node ids among {@code nodeIds} that have no result yet, in their order. */
    public List<String> unrecorded(Project project, List<String> nodeIds) {
        if (nodeIds.isEmpty()) {
            return List.of();
        }
        Set<String> done = recorded.of(project.getId());
        List<String> out = new ArrayList<>();
        for (String id : nodeIds) {
            if (!done.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }
}
