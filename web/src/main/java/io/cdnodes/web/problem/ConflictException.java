package io.cdnodes.web.problem;

/** A request that contradicts the resource's state (cancelling a finished evaluation): 409. */
public class ConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }
}
