package io.cdnodes.web.problem;

import io.cdnodes.coordinator.evaluation.EvaluationNotFoundException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** An evaluation that does not exist: 404. */
@Provider
public class NotFoundMapper implements ExceptionMapper<EvaluationNotFoundException> {

    @Override
    public Response toResponse(EvaluationNotFoundException e) {
        return new Problem("not-found", "No such evaluation", 404, e.getMessage(), null).toResponse();
    }
}
