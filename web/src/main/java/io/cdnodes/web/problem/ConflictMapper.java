package io.cdnodes.web.problem;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A request the resource's state does not allow: 409. */
@Provider
public class ConflictMapper implements ExceptionMapper<ConflictException> {

    @Override
    public Response toResponse(ConflictException e) {
        return new Problem("conflict", "Not possible in the current state", 409, e.getMessage(), null).toResponse();
    }
}
