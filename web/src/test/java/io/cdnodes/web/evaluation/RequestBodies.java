package io.cdnodes.web.evaluation;

import io.cdnodes.web.problem.Violations;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * A request body as the server takes it, without the server: read by {@link JsonBodies}, then checked by the
 * record's constraints with Hibernate Validator (what Payara runs for {@code @Valid}), refusals described as the
 * problem's {@code detail} says them.
 */
final class RequestBodies {

    private static final ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();
    static final Validator VALIDATOR = FACTORY.getValidator();

    private RequestBodies() {
    }

    /** The body read and checked; a refusal is thrown as {@link Refused} with the detail the client would get. */
    static <T> T accept(String json, Class<T> type, String name) {
        T body = JsonBodies.read(json.getBytes(StandardCharsets.UTF_8), type, name);
        Set<ConstraintViolation<T>> refused = VALIDATOR.validate(body);
        if (!refused.isEmpty()) {
            String root = name.equals("the body") ? "" : name;
            throw new Refused(Violations.redacted(Violations.describe(refused, root), refused));
        }
        return body;
    }

    /** What the constraints refused. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String detail) {
            super(detail);
        }
    }
}
