package io.cdnodes.web.problem;

import io.cdnodes.coordinator.evaluation.RerunRefusedException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** An evaluation that cannot be rerun now or has nothing to rerun: 409, saying why. */
@Provider
public class RerunRefusedMapper implements ExceptionMapper<RerunRefusedException> {

    @Override
    public Response toResponse(RerunRefusedException e) {
        return new Problem("nothing-to-rerun", "Cannot rerun", 409, e.getMessage(), null).toResponse();
    }
}
