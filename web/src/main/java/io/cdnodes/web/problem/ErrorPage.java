package io.cdnodes.web.problem;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The war's error page (web.xml {@code <error-page>}): what fails outside JAX-RS, whose exception mappers answer
 * everything within it (the servlet container itself, the security mechanism, a filter), is answered as
 * problem+json like the rest of the API, and an exception behind it is logged with its stack. Asked for directly,
 * it is a 404.
 */
@WebServlet(urlPatterns = ErrorPage.PATH)
public class ErrorPage extends HttpServlet {

    /** Where web.xml sends errors. */
    public static final String PATH = "/_problem";

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(ErrorPage.class.getName());

    /** The reason the container or a servlet gave with a 4xx ({@code sendError(404, "...")}), if any. */
    private static String message(HttpServletRequest request) {
        Object m = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        return m instanceof String s && !s.isBlank() ? s : null;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object error = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        int status = code instanceof Integer i ? i : 404;
        if (error instanceof Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "request " + request.getMethod() + " " + uri + " failed", t);
            status = status < 400 ? 500 : status;
        } else if (status >= 500) {
            LOG.log(System.Logger.Level.ERROR, "request " + request.getMethod() + " " + uri + " answered " + status
                    + " by the container");
        }
        Response.StatusType type = Response.Status.fromStatusCode(status);
        Problem problem = status >= 500
                ? new Problem("internal", "Internal error", status, "the coordinator could not complete this "
                        + "request; see its log", null)
                : new Problem("http-" + status, type == null ? "HTTP " + status : type.getReasonPhrase(), status,
                        code == null ? "no such resource" : message(request), null);
        byte[] body = problem.json().getBytes(StandardCharsets.UTF_8);
        if (!response.isCommitted()) {
            response.resetBuffer();
            response.setStatus(status);
            response.setContentType(Problem.TYPE.toString());
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }
}
