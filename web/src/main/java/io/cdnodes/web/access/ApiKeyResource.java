package io.cdnodes.web.access;

import io.cdnodes.coordinator.access.ApiKeys;
import io.cdnodes.web.problem.BadRequestException;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * API keys, for the admin key only (any other key: 403): {@code POST /api-keys {"name": "alice"}} makes one and
 * answers its text, the only time it is shown; {@code GET /api-keys} lists names; {@code DELETE
 * /api-keys/{name}} revokes one.
 */
@Path("/api-keys")
public class ApiKeyResource {

    private static final int MAX_BODY = 4096;

    @EJB
    private ApiKeys keys;

    @Context
    private SecurityContext security;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(InputStream body) throws IOException {
        requireAdmin();
        ApiKeys.Created created = keys.create(name(body.readNBytes(MAX_BODY + 1)));
        return Response.created(UriBuilder.fromPath("/api-keys/{name}").build(created.name()))
                .entity(Json.createObjectBuilder().add("name", created.name()).add("key", created.key()).build()
                        .toString())
                .build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<ApiKeys.Listed> list() {
        requireAdmin();
        return keys.list();
    }

    @DELETE
    @Path("{name}")
    public Response revoke(@PathParam("name") String name) {
        requireAdmin();
        keys.revoke(name);
        return Response.noContent().build();
    }

    private void requireAdmin() {
        if (!Roles.caller(security).admin()) {
            throw new ForbiddenException("only the admin key may manage API keys");
        }
    }

    private static String name(byte[] bytes) {
        if (bytes.length > MAX_BODY) {
            throw new BadRequestException("the body is larger than " + MAX_BODY + " bytes");
        }
        JsonValue name;
        try (JsonReader r = Json.createReader(new StringReader(new String(bytes, StandardCharsets.UTF_8)))) {
            JsonValue v = r.readValue();
            if (v.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new BadRequestException("the body must be a JSON object like {\"name\": \"alice\"}");
            }
            JsonObject o = v.asJsonObject();
            if (o.size() != 1 || !o.containsKey("name")) {
                throw new BadRequestException("the body must be {\"name\": \"...\"} and nothing else");
            }
            name = o.get("name");
        } catch (JsonException e) {
            throw new BadRequestException("the body is not valid JSON");
        }
        if (!(name instanceof JsonString s)) {
            throw new BadRequestException("'name' must be a string");
        }
        return s.getString();
    }
}
