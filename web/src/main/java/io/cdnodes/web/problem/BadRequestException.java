package io.cdnodes.web.problem;

/** A request the API cannot act on (a missing field, options of the wrong shape): 400. */
public class BadRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BadRequestException(String message) {
        super(message);
    }
}
