package io.cdnodes.web.evaluation;

import io.cdnodes.web.problem.BadRequestException;

/**
 * The body of {@code POST /evaluation/{id}/rerun}: {@code {"only": "failed"}} (the failed and errored tests) or
 * {@code {"only": "all"}}; an empty body is {@code "all"}.
 *
 * @param only which tests run again
 */
public record RerunRequest(String only) {

    /** Whether only the failed and errored tests run again. */
    static boolean onlyFailed(byte[] body) {
        if (body == null || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return false;
        }
        RerunRequest r = JsonBodies.read(body, RerunRequest.class, "the body");
        if (r == null || r.only() == null || r.only().equals("all")) {
            return false;
        }
        if (r.only().equals("failed")) {
            return true;
        }
        throw new BadRequestException("\"only\" must be \"failed\" (the failed and errored tests) or \"all\", not \""
                + r.only() + "\"");
    }
}
