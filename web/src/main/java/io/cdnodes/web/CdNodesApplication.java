package io.cdnodes.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;

/** The API at the server root: {@code /evaluation}, {@code /stats}, {@code /network}. */
@ApplicationPath("/")
public class CdNodesApplication extends Application {

    /** Jersey's multipart support (for {@link jakarta.ws.rs.core.EntityPart}) is a feature Payara ships but does not enable. */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.provider.classnames",
                "org.glassfish.jersey.media.multipart.MultiPartFeature");
    }
}
