package io.cdnodes.coordinator.evaluation;

import jakarta.ejb.ApplicationException;

/** No evaluation has the id asked for. */
@ApplicationException(rollback = true)
public class EvaluationNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final long id;

    public EvaluationNotFoundException(long id) {
        super("no evaluation with id " + id);
        this.id = id;
    }

    public long id() {
        return id;
    }
}
