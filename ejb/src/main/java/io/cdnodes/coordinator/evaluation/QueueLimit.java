package io.cdnodes.coordinator.evaluation;

import io.cdnodes.coordinator.access.Caller;

/**
 * How many evaluations one API key may have submitted and not yet finished ({@code CDNODES_MAX_QUEUED_PER_KEY}),
 * so that one client cannot queue work without bound ahead of everyone else. The admin key is exempt: it is the
 * operator's, who sets the cap. Checked when a submission arrives, and again, one submission of a key at a time
 * ({@link UnfinishedEvaluations#countLocked}), when it is recorded.
 */
public final class QueueLimit {

    /** What a refused client is told to wait before it tries again. */
    static final int RETRY_AFTER_SECONDS = 30;

    private final int maxPerKey;

    public QueueLimit(int maxPerKey) {
        if (maxPerKey < 1) {
            throw new IllegalArgumentException("the cap must be positive: " + maxPerKey);
        }
        this.maxPerKey = maxPerKey;
    }

    /** Whether the caller's unfinished evaluations need counting at all. */
    public boolean applies(Caller caller) {
        return !caller.admin();
    }

    /**
     * @param unfinished how many evaluations the caller has that are queued or running
     * @throws QueueFullException when one more would pass the cap
     */
    public void check(Caller caller, long unfinished) {
        if (applies(caller) && unfinished >= maxPerKey) {
            throw new QueueFullException("the key '" + caller.name() + "' has " + unfinished + " evaluations not yet "
                    + "finished, the most one key may have (CDNODES_MAX_QUEUED_PER_KEY=" + maxPerKey + "); submit "
                    + "again once one has finished, or cancel one", RETRY_AFTER_SECONDS);
        }
    }
}
