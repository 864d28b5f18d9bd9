package io.cdnodes.coordinator.evaluation;

import jakarta.ejb.ApplicationException;

/** A submission refused because its key has as many unfinished evaluations as it may have (429). */
@ApplicationException(rollback = true)
public class QueueFullException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final int retryAfterSeconds;

    public QueueFullException(String detail, int retryAfterSeconds) {
        super(detail);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A hint for the client, in seconds: evaluations end when they end. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
