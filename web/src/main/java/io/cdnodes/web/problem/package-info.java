/**
 * Errors as {@code application/problem+json} (RFC 9457): one {@link jakarta.ws.rs.ext.ExceptionMapper} per
 * exception family, so that every refusal says what was wrong with a 4xx status, and nothing unexpected
 * leaks a stack trace.
 */
package io.cdnodes.web.problem;
