package io.cdnodes.web.problem;

import io.cdnodes.coordinator.evaluation.QueueFullException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A key with as many unfinished evaluations as it may have: 429 with {@code Retry-After}. */
@Provider
public class QueueFullMapper implements ExceptionMapper<QueueFullException> {

    @Override
    public Response toResponse(QueueFullException e) {
        return Response.fromResponse(new Problem("too-many-queued", "Too many evaluations not yet finished", 429,
                e.getMessage(), null).toResponse()).header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds()).build();
    }
}
