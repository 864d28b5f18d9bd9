package io.cdnodes.web.problem;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A malformed request: 400 with what was wrong. */
@Provider
public class BadRequestMapper implements ExceptionMapper<BadRequestException> {

    @Override
    public Response toResponse(BadRequestException e) {
        return new Problem("bad-request", "The request is not acceptable", 400, e.getMessage(), null).toResponse();
    }
}
