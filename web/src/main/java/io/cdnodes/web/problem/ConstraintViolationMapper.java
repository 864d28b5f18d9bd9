package io.cdnodes.web.problem;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A request body its constraints refuse (a resource parameter marked {@code @Valid}): 400 naming each field at fault,
 * with any token the request carries taken out.
 */
@Provider
public class ConstraintViolationMapper implements ExceptionMapper<ConstraintViolationException> {

    @Override
    public Response toResponse(ConstraintViolationException e) {
        String detail = Violations.redacted(Violations.describe(e.getConstraintViolations(), ""),
                e.getConstraintViolations());
        return new Problem("bad-request", "The request is not acceptable", 400, detail, null).toResponse();
    }
}
