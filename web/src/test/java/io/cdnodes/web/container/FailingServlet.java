package io.cdnodes.web.container;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Test deployment only: a servlet outside JAX-RS that fails, as a filter or the container itself might. */
@WebServlet("/container-failure")
public class FailingServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        throw new IllegalStateException("failing on purpose, outside JAX-RS");
    }
}
