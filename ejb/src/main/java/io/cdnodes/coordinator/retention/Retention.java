package io.cdnodes.coordinator.retention;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Retention's transactions: each batch of expired evaluations is deleted in one of its own. */
@Stateless
public class Retention {

    @PersistenceContext(unitName = "cdnodes")
    private EntityManager em;

    /** What one batch deleted: the evaluations' ids and the packages their projects used. */
    public record Deleted(List<Long> evaluations, Set<String> packages) {
    }

    /** Deletes at most {@code limit} evaluations that finished before {@code cutoff}, and what belongs to them. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public Deleted deleteExpired(Instant cutoff, int limit) {
        RetentionSweep sweep = new RetentionSweep(em);
        List<Long> ids = sweep.expired(cutoff, limit);
        return new Deleted(ids, sweep.delete(ids));
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean packageInUse(String packageId) {
        return new RetentionSweep(em).packageInUse(packageId);
    }
}
