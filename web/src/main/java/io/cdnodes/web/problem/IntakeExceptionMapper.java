package io.cdnodes.web.problem;

import io.cdnodes.coordinator.intake.IntakeException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A refused submission: 400, 413 or 422 with what was wrong and, for zips, the entry at fault. */
@Provider
public class IntakeExceptionMapper implements ExceptionMapper<IntakeException> {

    @Override
    public Response toResponse(IntakeException e) {
        IntakeException.Kind k = e.kind();
        return new Problem(k.slug(), k.title(), k.status(), e.getMessage(), e.entry()).toResponse();
    }
}
