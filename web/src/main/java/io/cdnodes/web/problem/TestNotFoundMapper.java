package io.cdnodes.web.problem;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A test the evaluation does not have: 404. */
@Provider
public class TestNotFoundMapper implements ExceptionMapper<TestNotFoundException> {

    @Override
    public Response toResponse(TestNotFoundException e) {
        return new Problem("not-found", "No such test", 404, e.getMessage(), null).toResponse();
    }
}
