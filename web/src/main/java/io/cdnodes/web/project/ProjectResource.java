package io.cdnodes.web.project;

import io.cdnodes.coordinator.report.EvaluationQueries;
import io.cdnodes.coordinator.report.FlakyTests;
import io.cdnodes.coordinator.report.SlowestTests;
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

    /** The names of the projects in the ended evaluations the caller sees, in order (at most 1000). */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public java.util.List<String> names() {
        return queries.projectNames(Roles.caller(security), 1000);
    }

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

    /**
     * The project's 20 slowest tests (by their duration in the last evaluation that ran them) with their durations
     * in every ended evaluation the caller sees, oldest first; 404 when it sees no project of that name.
     */
    @GET
    @Path("{name}/slowest")
    @Produces(MediaType.APPLICATION_JSON)
    public SlowestTests.Report slowest(@PathParam("name") String name) {
        return queries.slowest(name, Roles.caller(security), 20).orElseThrow(() -> new TestNotFoundException(
                "no ended evaluation this key sees has a project named " + name));
    }
}
