package io.cdnodes.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's HTTP API table against the code: every resource method of the war is a row there (method and path),
 * and every row of the table that names one of the war's paths is a resource method (Payara's own {@code /health},
 * {@code /metrics} and {@code /openapi} are rows too, and are not the war's).
 */
class ApiTableTest {

    private static final java.nio.file.Path README = java.nio.file.Path.of("..", "README.md");
    private static final Pattern ROW = Pattern.compile("^\\| `(GET|POST|PUT|DELETE) (/[^`\\[ ]*)", Pattern.MULTILINE);
    private static final Map<Class<? extends java.lang.annotation.Annotation>, String> VERBS =
            Map.of(GET.class, "GET", POST.class, "POST", PUT.class, "PUT", DELETE.class, "DELETE");

    @Test
    void theReadmeListsEveryEndpointAndNoOther() throws Exception {
        TreeSet<String> code = endpoints();
        TreeSet<String> readme = new TreeSet<>();
        Matcher m = ROW.matcher(Files.readString(README));
        while (m.find()) {
            readme.add(m.group(1) + " " + m.group(2));
        }
        assertThat(code).as("resource methods").hasSizeGreaterThan(10);
        assertThat(readme).as("rows of README.md's API table").containsAll(code);
        assertThat(readme.stream().filter(r -> !r.matches("GET /(health|metrics|openapi).*")))
                .as("rows that are the war's").containsExactlyInAnyOrderElementsOf(code);
    }

    /** "VERB /path" of every resource method in the war's classes. */
    private static TreeSet<String> endpoints() throws IOException, ClassNotFoundException {
        java.nio.file.Path classes = java.nio.file.Path.of("target", "classes");
        TreeSet<String> out = new TreeSet<>();
        try (Stream<java.nio.file.Path> files = Files.walk(classes)) {
            for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, ApiTableTest.class.getClassLoader());
                Path base = c.getAnnotation(Path.class);
                if (base == null || c.isAnnotationPresent(jakarta.ws.rs.ApplicationPath.class)) {
                    continue;
                }
                for (Method method : c.getDeclaredMethods()) {
                    for (Map.Entry<Class<? extends java.lang.annotation.Annotation>, String> verb : VERBS.entrySet()) {
                        if (method.isAnnotationPresent(verb.getKey())) {
                            Path sub = method.getAnnotation(Path.class);
                            out.add(verb.getValue() + " " + join(base.value(), sub == null ? "" : sub.value()));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The path as the README writes it: a template's regular expression ({@code {nodeid: .+}}) left out. */
    private static String join(String base, String sub) {
        String path = ("/" + base + "/" + sub).replaceAll("/+", "/").replaceAll("\\{(\\w+):[^}]*}", "{$1}");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
