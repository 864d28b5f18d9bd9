package io.cdnodes.web.project;

import io.cdnodes.coordinator.report.EvaluationQueries;
import io.cdnodes.coordinator.report.FlakyTests;
import io.cdnodes.web.access.Roles;
import io.cdnodes.web.problem.TestNotFoundException;
import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/** A project by its name, across the evaluations the caller's key sees. */
@Path("/projects")
public class ProjectResource {

    @EJB
    private EvaluationQueries queries;

    @Context
    private SecurityContext security;

    /**
     * The project's tests that passed in one ended evaluation and failed or errored in another (or the other way
     * round), most flips first; 404 when the caller sees no project of that name.
     */
    @GET
    @Path("{name}/flaky")
    @Produces(MediaType.APPLICATION_JSON)
    public FlakyTests.Report flaky(@PathParam("name") String name) {
        return queries.flaky(name, Roles.caller(security)).orElseThrow(() -> new TestNotFoundException(
                "no ended evaluation this key sees has a project named " + name));
    }
}
