package io.cdnodes.web.problem;

import io.cdnodes.coordinator.access.ApiKeyException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A refused request about API keys: 400, 404 or 409 with what was wrong. */
@Provider
public class ApiKeyExceptionMapper implements ExceptionMapper<ApiKeyException> {

    @Override
    public Response toResponse(ApiKeyException e) {
        ApiKeyException.Kind k = e.kind();
        return new Problem(k.slug(), k.title(), k.status(), e.getMessage(), null).toResponse();
    }
}
