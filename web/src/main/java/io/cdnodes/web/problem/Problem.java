package io.cdnodes.web.problem;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem document.
 *
 * @param slug   names the problem type; the type URI is {@code urn:cdnodes:problem:<slug>}
 * @param title  a short, fixed summary of the problem type
 * @param status the HTTP status
 * @param detail what exactly was wrong, for this request
 * @param entry  the zip entry at fault, when there is one (an extension member)
 */
public record Problem(String slug, String title, int status, String detail, String entry) {

    public static final MediaType TYPE = new MediaType("application", "problem+json");

    public Response toResponse() {
        return Response.status(status).type(TYPE).entity(json()).build();
    }

    /** The document itself. */
    public String json() {
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("type", "urn:cdnodes:problem:" + slug)
                .add("title", title)
                .add("status", status);
        if (detail != null) {
            b.add("detail", detail);
        }
        if (entry != null) {
            b.add("entry", entry);
        }
        return b.build().toString();
    }
}
