package io.cdnodes.web.dashboard;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard, served by the war itself: its pages ({@code /}, {@code /evaluations}, {@code /evaluations/{id}},
 * {@code /workers}, {@code /trends}) are one HTML shell that the browser's modules fill from the API, and its files
 * ({@code /assets/...}) come from the war's classpath ({@link DashboardAssets}). None of it holds data, so none of it
 * needs a key (web.xml leaves these paths open); the page asks for the key and sends it to the API itself.
 */
@Path("/")
public class DashboardResource {

    @Context
    private UriInfo uri;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response home() {
        return shell();
    }

    @GET
    @Path("evaluations")
    @Produces(MediaType.TEXT_HTML)
    public Response evaluations() {
        return shell();
    }

    @GET
    @Path("evaluations/{id: [0-9]+}")
    @Produces(MediaType.TEXT_HTML)
    public Response evaluation(@PathParam("id") long id) {
        return shell();
    }

    @GET
    @Path("workers")
    @Produces(MediaType.TEXT_HTML)
    public Response workers() {
        return shell();
    }

    @GET
    @Path("trends")
    @Produces(MediaType.TEXT_HTML)
    public Response trends() {
        return shell();
    }

    /** A file of the dashboard; 404 for anything else (no path leaves its folder). */
    @GET
    @Path("assets/{file: .+}")
    public Response asset(@PathParam("file") String file) {
        DashboardAssets.Asset a = DashboardAssets.find(file).orElseThrow(() -> new NotFoundException(
                "the dashboard has no file " + file));
        CacheControl cache = new CacheControl();
        cache.setMaxAge(a.immutable() ? 86_400 : 0);
        cache.setNoCache(!a.immutable());
        return secured(Response.ok(a.open(), a.mediaType()).cacheControl(cache)).build();
    }

    /** The page, with its base set to where the war is deployed (the root on Micro, a context root on Server). */
    private Response shell() {
        String html;
        try (InputStream in = DashboardAssets.find("index.html").orElseThrow().open()) {
            html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String base = uri.getBaseUri().getRawPath();
        html = html.replace("<base href=\"/\">", "<base href=\"" + (base.endsWith("/") ? base : base + "/") + "\">");
        CacheControl cache = new CacheControl();
        cache.setNoCache(true);
        return secured(Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("utf-8")).cacheControl(cache)).build();
    }

    /** What every answer of the dashboard carries: its own content only, in no frame, no referrer, no sniffing. */
    private static Response.ResponseBuilder secured(Response.ResponseBuilder r) {
        return r.header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' "
                        + "'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; form-action 'none'");
    }
}
