package io.cdnodes.web.problem;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What Jakarta Validation refused, as one line for a problem's {@code detail}: each violation as the JSON path of
 * the field ({@code options.pytest_args[3]}, {@code options.env.HOME}) and the constraint's message, sorted.
 * Property names are the records' component names in snake case, as the request bodies are read.
 */
public final class Violations {

    private Violations() {
    }

    /**
     * @param root what the validated object is called in the request: {@code ""} for a body (then a violation of
     *             the body itself says "the body"), or a form field's name ({@code "options"})
     */
    public static String describe(Set<? extends ConstraintViolation<?>> violations, String root) {
        return violations.stream().map(v -> path(v.getPropertyPath(), root) + " " + v.getMessage()).distinct()
                .sorted().collect(Collectors.joining("; "));
    }

    /** The violations' text with any secret the request carries taken out (see {@link Redacts}). */
    public static String redacted(String text, Set<? extends ConstraintViolation<?>> violations) {
        String out = text;
        for (ConstraintViolation<?> v : violations) {
            if (v.getRootBean() instanceof Redacts r) {
                out = r.redact(out);
            }
            if (v.getExecutableParameters() != null) {
                for (Object p : v.getExecutableParameters()) {
                    if (p instanceof Redacts r) {
                        out = r.redact(out);
                    }
                }
            }
        }
        return out;
    }

    private static String path(Path path, String root) {
        StringBuilder sb = new StringBuilder(root);
        for (Path.Node n : path) {
            switch (n.getKind()) {
                case PROPERTY -> sb.append(sb.length() == 0 ? "" : ".").append(snake(n.getName()));
                case CONTAINER_ELEMENT -> {
                    if ("<map value>".equals(n.getName()) && n.getKey() != null) {
                        sb.append('.').append(n.getKey());
                    }
                }
                default -> {
                    // the method and its parameter (a resource's body): the path starts at the body
                }
            }
            if (n.getIndex() != null) {
                sb.append('[').append(n.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "the body" : sb.toString();
    }

    private static String snake(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
