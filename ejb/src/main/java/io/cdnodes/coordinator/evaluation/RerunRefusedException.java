package io.cdnodes.coordinator.evaluation;

import jakarta.ejb.ApplicationException;

/** An evaluation cannot be rerun (still running, nothing failed in it, no project with files): the reason says. */
@ApplicationException(rollback = true)
public class RerunRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RerunRefusedException(String message) {
        super(message);
    }
}
