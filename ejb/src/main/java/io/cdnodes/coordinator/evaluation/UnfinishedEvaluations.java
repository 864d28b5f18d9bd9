package io.cdnodes.coordinator.evaluation;

import io.cdnodes.coordinator.access.ApiKey;
import io.cdnodes.coordinator.access.Caller;
import io.cdnodes.coordinator.access.Ownership;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.PessimisticLockException;
import java.util.Arrays;
import java.util.List;

/**
 * How many evaluations a key has submitted and not finished, for {@link QueueLimit}. A count alone lets parallel
 * submissions of one key all pass it before any of them is recorded; {@link #countLocked} first takes a write lock
 * on the key's row ({@code SELECT ... FOR UPDATE}), held until the submitting transaction ends, so that a key's
 * submissions pass the count one at a time, each seeing those recorded before it. Other keys are not held up. The
 * admin key has no row: it is exempt from the cap, and would need one to be capped.
 */
public final class UnfinishedEvaluations {

    private static final List<EvaluationStatus> UNFINISHED = Arrays.stream(EvaluationStatus.values())
            .filter(s -> !s.terminal()).toList();

    private UnfinishedEvaluations() {
    }

    /** The caller's unfinished evaluations now: a cheap first look, before an upload is read. */
    public static long count(EntityManager em, Caller caller) {
        return em.createQuery("select count(e) from Evaluation e where e.owner = :o and e.status in :s", Long.class)
                .setParameter("o", Ownership.ownerOfNew(caller)).setParameter("s", UNFINISHED).getSingleResult();
    }

    /**
     * The caller's unfinished evaluations, counted once this transaction holds the lock on the caller's key: call it
     * in the transaction that records the submission, just before recording it.
     *
     * @throws QueueFullException when the lock could not be had in time (the database's lock timeout), so that
     *                            the client is told to try again rather than given a server error
     */
    public static long countLocked(EntityManager em, Caller caller) {
        if (!caller.admin()) {
            try {
                em.find(ApiKey.class, caller.name(), LockModeType.PESSIMISTIC_WRITE);
            } catch (PessimisticLockException | LockTimeoutException e) {
                throw new QueueFullException("other submissions of the key '" + caller.name() + "' are being "
                        + "recorded; submit again in a moment", QueueLimit.RETRY_AFTER_SECONDS);
            }
        }
        return count(em, caller);
    }
}
