package io.cdnodes.web.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The dashboard's files: its own under {@code dashboard/} on the war's classpath, and the libraries it takes from
 * WebJars ({@code vendor/echarts.min.js}, found by the WebJar's own version). A name is a plain relative path of
 * letters, digits, dots, dashes and underscores: nothing else is looked up, so no request reaches another resource.
 */
public final class DashboardAssets {

    /** One file: where it is on the classpath, its media type, and whether its content never changes. */
    public record Asset(String resource, String mediaType, boolean immutable) {
        public InputStream open() {
            InputStream in = DashboardAssets.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new UncheckedIOException(new IOException("missing from the war: " + resource));
            }
            return in;
        }
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\\.[a-z0-9]+");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "png", "image/png", "ico", "image/x-icon");
    private static final String ECHARTS = "META-INF/resources/webjars/echarts/%s/dist/echarts.min.js";

    private DashboardAssets() {
    }

    /** The file by its name under {@code /assets/}; empty when there is none. */
    public static Optional<Asset> find(String name) {
        if (name.equals("vendor/echarts.min.js")) {
            return webjarVersion("echarts").map(v -> new Asset(String.format(ECHARTS, v), TYPES.get("js"), true));
        }
        if (!NAME.matcher(name).matches() || name.startsWith("vendor/")) {
            return Optional.empty();
        }
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        String resource = "dashboard/" + name;
        if (type == null || DashboardAssets.class.getClassLoader().getResource(resource) == null) {
            return Optional.empty();
        }
        return Optional.of(new Asset(resource, type, false));
    }

    /** A WebJar's version, from the Maven properties it carries. */
    static Optional<String> webjarVersion(String artifact) {
        try (InputStream in = DashboardAssets.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties")) {
            if (in == null) {
                return Optional.empty();
            }
            Properties p = new Properties();
            p.load(in);
            return Optional.ofNullable(p.getProperty("version"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
