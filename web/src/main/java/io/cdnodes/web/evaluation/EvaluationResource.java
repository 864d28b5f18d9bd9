package io.cdnodes.web.evaluation;

import io.cdnodes.coordinator.access.Caller;
import io.cdnodes.coordinator.config.CoordinatorSettings;
import io.cdnodes.coordinator.evaluation.EvaluationService;
import io.cdnodes.coordinator.evaluation.EvaluationStatus;
import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.coordinator.report.EvaluationFilter;
import io.cdnodes.coordinator.report.EvaluationQueries;
import io.cdnodes.coordinator.report.EvaluationViews;
import io.cdnodes.coordinator.repositories.RepositoryIntake;
import io.cdnodes.web.access.Roles;
import io.cdnodes.web.problem.BadRequestException;
import io.cdnodes.web.problem.ConflictException;
import io.cdnodes.web.problem.TestNotFoundException;
import io.cdnodes.web.problem.Violations;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityPart;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;

/**
 * Submitting evaluations and reading their results. Every method acts for the request's API key: an evaluation
 * records the key that submitted it, and a key other than the admin key sees only its own (any other id answers
 * 404, as one that does not exist).
 */
@Path("/evaluation")
public class EvaluationResource {

    @EJB
    private EvaluationService service;

    @EJB
    private EvaluationQueries queries;

    @Inject
    private CoordinatorSettings settings;

    @Inject
    private EvaluationEventStream events;

    @Inject
    private RepositoryIntake repositories;

    @Inject
    private Validator validator;

    @Context
    private SecurityContext security;

    /** The largest {@code options} form field. */
    private static final int MAX_OPTIONS_BYTES = 256 * 1024;

    /**
     * A zip upload in the form field {@code file}; run options as JSON in the field {@code options}. The form is
     * taken whole and its fields picked here: Jersey's {@code @FormParam EntityPart} fails with a
     * NullPointerException on a field that is absent in the Jersey of Payara Server 6.2025.9.
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public Response submitZip(List<EntityPart> form) throws IOException {
        EntityPart file = field(form, "file");
        EntityPart options = field(form, "options");
        if (file == null) {
            throw new BadRequestException("the form field 'file' with a zip archive is missing");
        }
        RunOptions runOptions = options(options);
        Caller caller = caller();
        service.admit(caller); // before the upload is copied and unpacked
        java.nio.file.Path upload;
        try (InputStream in = file.getContent()) {
            upload = UploadSpool.spool(in, settings.dataDir().resolve("uploads"), settings.maxUploadBytes());
        }
        try {
            EvaluationService.Submitted s = service.submitZip(upload, file.getFileName().orElse(null), runOptions,
                    caller);
            return Response.created(UriBuilder.fromPath("/evaluation/{id}").build(s.id()))
                    .type(MediaType.APPLICATION_JSON_TYPE).entity(s).build();
        } finally {
            Files.deleteIfExists(upload);
        }
    }

    /**
     * Repository URLs as JSON: {@code {"auth_token": "...", "projects": ["https://github.com/o/r", ...],
     * "options": {...}}}, read by {@link RepositoryRequestReader} and checked by its constraints. Answers once the
     * evaluation is recorded; the repositories are fetched afterwards.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response submitRepositories(@Valid RepositoryRequest request) {
        // no @NotNull here: Payara's OpenAPI scanner takes any constraint on a parameter for one on a @PathParam
        if (request == null) {
            throw new BadRequestException("the body must be a JSON object like {\"auth_token\": \"...\", "
                    + "\"projects\": [\"https://github.com/o/r\"]}");
        }
        Caller caller = caller();
        service.admit(caller);
        EvaluationService.Submitted s;
        try {
            s = repositories.submit(request.toSubmission(), caller);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        return Response.created(UriBuilder.fromPath("/evaluation/{id}").build(s.id()))
                .type(MediaType.APPLICATION_JSON_TYPE).entity(s).build();
    }

    /**
     * The evaluations the caller sees, newest first, filtered and paged: {@code status} (comma-separated wire names),
     * {@code source} (a part of it, any case), {@code owner} (the admin's list only), {@code offset}, {@code limit};
     * {@code X-Total-Count} says how many pass the filter.
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("status") String status, @QueryParam("source") String source,
                         @QueryParam("owner") String owner, @QueryParam("offset") @DefaultValue("0") int offset,
                         @QueryParam("limit") @DefaultValue("" + EvaluationFilter.MAX_LIMIT) int limit) {
        EvaluationFilter filter;
        try {
            filter = new EvaluationFilter(statuses(status), source, owner, offset, limit);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        EvaluationQueries.Page page = queries.list(caller(), filter);
        return Response.ok(page.evaluations()).header("X-Total-Count", page.total()).build();
    }

    private static List<EvaluationStatus> statuses(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        List<EvaluationStatus> out = new java.util.ArrayList<>();
        for (String name : csv.split(",")) {
            out.add(java.util.Arrays.stream(EvaluationStatus.values()).filter(s -> s.wireName().equals(name.strip()))
                    .findFirst().orElseThrow(() -> new BadRequestException("status must be one or more of "
                            + java.util.Arrays.stream(EvaluationStatus.values()).map(EvaluationStatus::wireName).toList()
                            + ", comma-separated: " + name.strip())));
        }
        return out;
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public EvaluationViews.EvaluationView get(@PathParam("id") long id,
                                              @QueryParam("tests") @DefaultValue("false") boolean tests) {
        queries.requireVisible(id, caller());
        return queries.get(id, tests);
    }

    /**
     * A new evaluation of the same packages and options: {@code {"only": "failed"}} runs each project's failed and
     * errored tests again (what {@code --lf} is to pytest), {@code {"only": "all"}} (or no body) every test. No
     * upload, no fetch; 409 while the evaluation runs, or when nothing failed.
     */
    @POST
    @Path("{id}/rerun")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response rerun(@PathParam("id") long id, byte[] body) {
        Caller caller = caller();
        queries.requireVisible(id, caller);
        boolean onlyFailed = RerunRequest.onlyFailed(body);
        service.admit(caller);
        EvaluationService.Submitted s = service.rerun(id, onlyFailed ? queries.failedNodes(id) : null, caller);
        return Response.created(UriBuilder.fromPath("/evaluation/{id}").build(s.id()))
                .type(MediaType.APPLICATION_JSON_TYPE).entity(s).build();
    }

    /**
     * One test with its whole report. The node id is the rest of the path, as pytest prints it
     * ({@code /evaluation/7/tests/tests/test_cart.py::TestCart::test_count%5B2%5D}: brackets, spaces, {@code ?},
     * {@code #} and {@code %} percent-encoded); {@code project} names the project when several have that node id.
     */
    @GET
    @Path("{id}/tests/{nodeid: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    public EvaluationViews.TestView test(@PathParam("id") long id, @PathParam("nodeid") String nodeId,
                                         @QueryParam("project") String project) {
        queries.requireVisible(id, caller());
        List<EvaluationViews.TestView> found = queries.test(id, nodeId, project);
        if (found.isEmpty()) {
            throw new TestNotFoundException("evaluation " + id + " has no test " + nodeId
                    + (project == null ? "" : " in project " + project));
        }
        if (found.size() > 1) {
            throw new BadRequestException("projects " + found.stream().map(EvaluationViews.TestView::project)
                    .toList() + " of evaluation " + id + " all have " + nodeId + "; name one with ?project=NAME");
        }
        return found.get(0);
    }

    @GET
    @Path("{id}/junit.xml")
    @Produces(MediaType.APPLICATION_XML)
    public String junit(@PathParam("id") long id) {
        queries.requireVisible(id, caller());
        return queries.junitXml(id);
    }

    /** Cancels a queued or running evaluation; its results so far are kept. 409 when it has already ended. */
    @DELETE
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public EvaluationViews.EvaluationView cancel(@PathParam("id") long id) {
        queries.requireVisible(id, caller());
        if (!service.cancel(id)) {
            throw new ConflictException("evaluation " + id + " has already ended: " + queries.get(id, false).status());
        }
        return queries.get(id, false);
    }

    /** Live progress as Server-Sent Events; see {@link EvaluationEventStream}. */
    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void events(@PathParam("id") long id, @HeaderParam(HttpHeaders.LAST_EVENT_ID_HEADER) String lastEventId,
                       @Context SseEventSink sink, @Context Sse sse) {
        Caller caller = caller();
        queries.requireVisible(id, caller); // 404 before the stream opens
        long after = 0;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                after = Long.parseLong(lastEventId.trim());
            } catch (NumberFormatException e) {
                throw new BadRequestException("Last-Event-ID must be a result sequence number: " + lastEventId);
            }
        }
        events.start(id, after, caller, sink, sse);
    }

    private Caller caller() {
        return Roles.caller(security);
    }

    /** The form field of that name; null when there is none, 400 when there are several. */
    private static EntityPart field(List<EntityPart> form, String name) {
        EntityPart found = null;
        for (EntityPart part : form == null ? List.<EntityPart>of() : form) {
            if (name.equals(part.getName())) {
                if (found != null) {
                    throw new BadRequestException("the form field '" + name + "' is there more than once");
                }
                found = part;
            }
        }
        return found;
    }

    /** The {@code options} form field: the same JSON and the same checks as a JSON submission's options. */
    private RunOptions options(EntityPart part) throws IOException {
        if (part == null) {
            return RunOptions.none();
        }
        byte[] bytes;
        try (InputStream in = part.getContent()) {
            bytes = in.readNBytes(MAX_OPTIONS_BYTES + 1);
        }
        if (bytes.length > MAX_OPTIONS_BYTES) {
            throw new BadRequestException("the 'options' field is larger than " + MAX_OPTIONS_BYTES / 1024 + " KiB");
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return RunOptions.none();
        }
        OptionsRequest o = JsonBodies.read(bytes, OptionsRequest.class, "options");
        if (o == null) {
            throw new BadRequestException("options must be a JSON object");
        }
        Set<ConstraintViolation<OptionsRequest>> refused = validator.validate(o);
        if (!refused.isEmpty()) {
            throw new BadRequestException(Violations.describe(refused, "options"));
        }
        try {
            return o.toRunOptions();
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }
}
