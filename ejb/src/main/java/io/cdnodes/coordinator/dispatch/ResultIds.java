package io.cdnodes.coordinator.dispatch;

import io.cdnodes.coordinator.results.TestResultRecord;
import jakarta.persistence.EntityManager;

/**
 * Keeps the sequence that numbers results ({@link TestResultRecord#ID_SEQUENCE}) ahead of every result stored. A
 * database made before results were numbered from it holds results whose ids its identity column gave, and the
 * schema update creates the sequence at 1: the first results recorded after the upgrade would take their ids. Run
 * at start, inside the caller's transaction, before any result is recorded: when the sequence's next block could
 * reach the highest id stored, it restarts past it (H2's {@code ALTER SEQUENCE}, which takes effect at once).
 * Going back to a release from before the sequence is not supported: its identity column would give ids the
 * sequence already gave.
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
        // Hibernate's next block comes after the value just taken from the sequence: past every stored id
        if (next >= max) {
            return false;
        }
        // restarted here, the first block Hibernate takes (up to a block below the value it reads) is past them too
        long floor = max + TestResultRecord.ID_BLOCK + 1;
        em.createNativeQuery("alter sequence " + TestResultRecord.ID_SEQUENCE + " restart with " + floor)
                .executeUpdate();
        LOG.log(System.Logger.Level.INFO, "results are numbered from {0} on (the highest stored is {1})",
                Long.toString(floor), Long.toString(max));
        return true;
    }
}
