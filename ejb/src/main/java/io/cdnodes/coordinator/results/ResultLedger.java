package io.cdnodes.coordinator.results;

import io.cdnodes.coordinator.evaluation.Project;
import io.cdnodes.protocol.frame.Outcome;
import io.cdnodes.coordinator.health.CoordinatorMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes and checks per-test results inside the caller's transaction. A node id is recorded once per
 * project: the first result wins and later ones for the same node are dropped, so a test is never counted
 * twice.
 */
@ApplicationScoped
public class ResultLedger {

    @PersistenceContext(unitName = "cdnodes")
    private EntityManager em;

    @Inject
    private CoordinatorMetrics metrics;

    /** Records a result unless the node already has one; returns whether it was recorded. */
    public boolean record(Project project, String nodeId, Outcome outcome, double duration, String workerName,
                          String workerAddress, int attempt, String message, Instant at) {
        if (nodeId.length() > TestResultRecord.MAX_NODE_ID || has(project, nodeId)) {
            return false;
        }
        em.persist(new TestResultRecord(project, nodeId, outcome, Math.max(0, duration), workerName, workerAddress,
                attempt, message, at));
        metrics.resultRecorded();
        return true;
    }

    /** One result to record with {@link #recordAll}. */
    public record Entry(String nodeId, Outcome outcome, double duration, String workerName, String workerAddress,
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
        Set<String> recorded = recordedAmong(project, entries.stream().map(Entry::nodeId).toList());
        int n = 0;
        for (Entry e : entries) {
            if (e.nodeId().length() > TestResultRecord.MAX_NODE_ID || !recorded.add(e.nodeId())) {
                continue;
            }
            em.persist(new TestResultRecord(project, e.nodeId(), e.outcome(), Math.max(0, e.duration()), e.workerName(),
                    e.workerAddress(), e.attempt(), e.message(), e.at()));
            metrics.resultRecorded();
            n++;
        }
        return n;
    }

    public boolean has(Project project, String nodeId) {
        return !em.createQuery("select r.id from TestResultRecord r where r.project = :p and r.nodeId = :n", Long.class)
                .setParameter("p", project).setParameter("n", nodeId).setMaxResults(1).getResultList().isEmpty();
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
        Set<String> recorded = recordedAmong(project, nodeIds);
        List<String> out = new ArrayList<>();
        for (String id : nodeIds) {
            if (!recorded.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /** Which of {@code nodeIds} have a result, looked up 500 at a time. */
    private Set<String> recordedAmong(Project project, List<String> nodeIds) {
        List<String> all = new ArrayList<>(new HashSet<>(nodeIds));
        Set<String> recorded = new HashSet<>();
        for (int i = 0; i < all.size(); i += 500) {
            recorded.addAll(em.createQuery("select r.nodeId from TestResultRecord r where r.project = :p "
                    + "and r.nodeId in :ids", String.class).setParameter("p", project)
                    .setParameter("ids", all.subList(i, Math.min(all.size(), i + 500))).getResultList());
        }
        return recorded;
    }
}
