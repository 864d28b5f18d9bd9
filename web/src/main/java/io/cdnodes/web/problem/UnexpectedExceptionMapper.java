package io.cdnodes.web.problem;

import io.cdnodes.coordinator.access.ApiKeyException;
import io.cdnodes.coordinator.evaluation.EvaluationNotFoundException;
import io.cdnodes.coordinator.evaluation.QueueFullException;
import io.cdnodes.coordinator.intake.IntakeException;
import jakarta.ejb.EJBException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Anything else. Domain refusals wrapped by the container are unwrapped and answered as such; a real
 * failure is logged with its stack and answered with a 500 problem that shows no internals.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Exception> {

    private static final System.Logger LOG = System.getLogger(UnexpectedExceptionMapper.class.getName());

    @Override
    public Response toResponse(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IntakeException ie) {
                return new IntakeExceptionMapper().toResponse(ie);
            }
            if (t instanceof EvaluationNotFoundException nf) {
                return new NotFoundMapper().toResponse(nf);
            }
            if (t instanceof BadRequestException br) {
                return new BadRequestMapper().toResponse(br);
            }
            if (t instanceof ConflictException ce) {
                return new ConflictMapper().toResponse(ce);
            }
            if (t instanceof ApiKeyException ke) {
                return new ApiKeyExceptionMapper().toResponse(ke);
            }
            if (t instanceof QueueFullException qe) {
                return new QueueFullMapper().toResponse(qe);
            }
        }
        if (!(e instanceof EJBException) || e.getCause() != null) {
            LOG.log(System.Logger.Level.ERROR, "request failed", e);
        }
        return new Problem("internal", "Internal error", 500, "the coordinator could not complete this request; "
                + "see its log", null).toResponse();
    }
}
