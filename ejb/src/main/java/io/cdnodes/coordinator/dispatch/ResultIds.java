package io.cdnodes.coordinator.dispatch;

import io.cdnodes.coordinator.results.TestResultRecord;
import jakarta.persistence.EntityManager;

/**
 * Keeps the sequence that numbers results ({@link TestResultRecord#ID_SEQUENCE}) ahead of every result stored. A
 * database made before results were numbered from it holds results whose ids its identity column gave, and the
 * schema update creates the sequence at 1: the first results recorded after the upgrade would take their ids. Run
 * at start, inside the caller's transaction, before any result is recorded: when the sequence's next block could
 * reach the highest id stored, it restarts past it (H2's {@code ALTER SEQUENCE}, which takes effect at once).
 */
final class ResultIds {

    private static final System.Logger LOG = System.getLogger(ResultIds.class.getName());

    private ResultIds() {
    }

    /** Moves the sequence past the highest result id stored, when it is not already; returns whether it did. */
    static boolean alignSequence(EntityManager em) {
        Long max = em.createQuery("select max(r.id) from TestResultRecord r", Long.class).getSingleResult();
        if (max == null) {
            return false;
        }
        long next = ((Number) em.createNativeQuery("select next value for " + TestResultRecord.ID_SEQUENCE)
                .getSingleResult()).longValue();
        // the block Hibernate takes next may start up to a block below the value the sequence gives
        long floor = max + TestResultRecord.ID_BLOCK + 1;
        if (next >= floor) {
            return false;
        }
        em.createNativeQuery("alter sequence " + TestResultRecord.ID_SEQUENCE + " restart with " + floor)
                .executeUpdate();
        LOG.log(System.Logger.Level.INFO, "results are numbered from {0} on (the highest stored is {1})",
                Long.toString(floor), Long.toString(max));
        return true;
    }
}
