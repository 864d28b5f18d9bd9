package io.cdnodes.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

/**
 * The API at the server root: {@code /evaluation}, {@code /stats}, {@code /network}. Its OpenAPI document is
 * served by Payara at {@code /openapi}; health at {@code /health}, metrics at {@code /metrics}.
 */
@ApplicationPath("/")
@OpenAPIDefinition(info = @Info(title = "CD Nodes", version = "1.0",
        description = "Distributed pytest execution: submit projects, follow their evaluation, read results, "
                + "grades and statistics. Errors are application/problem+json (RFC 9457)."))
public class CdNodesApplication extends Application {

    /** Jersey's multipart support (for {@link jakarta.ws.rs.core.EntityPart}) is a feature Payara ships but does not enable. */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.provider.classnames",
                "org.glassfish.jersey.media.multipart.MultiPartFeature");
    }
}
