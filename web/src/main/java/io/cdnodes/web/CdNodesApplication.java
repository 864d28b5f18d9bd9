package io.cdnodes.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The API at the server root: {@code /evaluation}, {@code /stats}, {@code /network}, {@code /api-keys}. Its
 * OpenAPI document is served by Payara at {@code /openapi}; health at {@code /health}, metrics at {@code /metrics}.
 * Every path but {@code /health} needs an API key (see {@link io.cdnodes.web.access}).
 */
@ApplicationPath("/")
@OpenAPIDefinition(info = @Info(title = "CD Nodes", version = "1.0",
        description = "Distributed pytest execution: submit projects, follow their evaluation, read results, "
                + "grades and statistics. Every request needs an API key (Authorization: Bearer <key>). Errors are "
                + "application/problem+json (RFC 9457)."),
        security = @SecurityRequirement(name = "apiKey"))
@SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An API key: the admin key, or one the admin key made with POST /api-keys")
public class CdNodesApplication extends Application {

    /** Jersey's multipart support (for {@link jakarta.ws.rs.core.EntityPart}) is a feature Payara ships but does not enable. */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.provider.classnames",
                "org.glassfish.jersey.media.multipart.MultiPartFeature");
    }
}
