package io.cdnodes.coordinator.repositories;

/**
 * A repository that could not be fetched, with the reason its project shows ("repository o/r not found or
 * not visible with this token"). The reason never carries the token.
 */
public final class FetchFailure extends Exception {

    private static final long serialVersionUID = 1L;

    public FetchFailure(String reason) {
        super(reason);
    }
}
