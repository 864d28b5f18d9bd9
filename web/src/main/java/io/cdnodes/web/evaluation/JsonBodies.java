package io.cdnodes.web.evaluation;

import io.cdnodes.web.problem.BadRequestException;
import io.cdnodes.web.problem.Redacts;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.config.PropertyNamingStrategy;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import java.io.ByteArrayInputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads request bodies into their records with JSON-B, strictly: names in snake case ({@code pytest_args} is
 * {@code pytestArgs}), an unknown key refused, and a string, a boolean or a number only where one is expected
 * (Yasson would otherwise take {@code 3} for {@code "3"}, {@code 1} for {@code false} and {@code 2} for {@code "2"}). A refusal names the field at fault and
 * what it should be, and never quotes the body: a parser's message may hold the text around the error, token
 * included, so a malformed body is answered with the place only.
 */
public final class JsonBodies {

    private static final Pattern PROPERTY = Pattern.compile("Unable to deserialize property '([^']*)'");
    private static final Pattern UNKNOWN = Pattern.compile("Json property (.*) can not be mapped to a class");

    private static final Jsonb STRICT = JsonbBuilder.create(new JsonbConfig()
            .withPropertyNamingStrategy(PropertyNamingStrategy.LOWER_CASE_WITH_UNDERSCORES)
            .setProperty("jsonb.fail-on-unknown-properties", true)
            .withDeserializers(new Strings(), new Booleans(), new Integers(), new Doubles()));

    /** Only to find a token to take out of a refusal, when the strict reading failed. */
    private static final Jsonb LENIENT = JsonbBuilder.create();

    private JsonBodies() {
    }

    /**
     * @param body what was sent
     * @param type the record it should be
     * @param name what it is called in a refusal: {@code "the body"}, or a form field's name ({@code "options"}),
     *             which then also prefixes the fields inside it
     * @return the record; null for a body that is JSON {@code null}
     * @throws BadRequestException saying what is wrong
     */
    public static <T> T read(byte[] body, Class<T> type, String name) {
        try {
            return STRICT.fromJson(new ByteArrayInputStream(body), type);
        } catch (JsonbException | IllegalStateException | java.util.NoSuchElementException e) {
            throw new BadRequestException(redacted(why(e, type, name), body));
        }
    }

    private static String why(RuntimeException e, Class<?> type, String name) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonParsingException p && p.getLocation() != null) {
                return name + " is not valid JSON (at line " + p.getLocation().getLineNumber() + ", column "
                        + p.getLocation().getColumnNumber() + ")";
            }
        }
        String message = String.valueOf(e.getMessage());
        List<String> path = new ArrayList<>();
        Matcher m = PROPERTY.matcher(message);
        while (m.find()) {
            path.add(m.group(1));
        }
        boolean root = name.equals("the body");
        String prefix = root ? "" : name + ".";
        Matcher unknown = UNKNOWN.matcher(message);
        if (unknown.find()) {
            String key = unknown.group(1);
            Type at = typeAt(type, path);
            String where = path.isEmpty() && root ? "'" + key + "'" : prefix + dotted(path, key);
            return where + " is not a known field (known: " + String.join(", ", names(at)) + ")";
        }
        if (path.isEmpty()) {
            return name + " must be a JSON object";
        }
        return prefix + String.join(".", path) + " must be " + describe(typeAt(type, path));
    }

    private static String dotted(List<String> path, String key) {
        return path.isEmpty() ? key : String.join(".", path) + "." + key;
    }

    /** The declared type at the end of a path of JSON names, or null where the path leaves the records. */
    private static Type typeAt(Type type, List<String> path) {
        Type at = type;
        for (String json : path) {
            if (!(at instanceof Class<?> c) || !c.isRecord()) {
                return null;
            }
            at = Arrays.stream(c.getRecordComponents()).filter(rc -> jsonName(rc).equals(json))
                    .map(RecordComponent::getGenericType).findFirst().orElse(null);
        }
        return at;
    }

    private static List<String> names(Type type) {
        return type instanceof Class<?> c && c.isRecord()
                ? Arrays.stream(c.getRecordComponents()).map(JsonBodies::jsonName).toList() : List.of();
    }

    private static String jsonName(RecordComponent rc) {
        return rc.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String describe(Type type) {
        Type raw = type instanceof ParameterizedType p ? p.getRawType() : type;
        if (raw == List.class) {
            return "an array of strings";
        }
        if (raw == Map.class) {
            return "an object of strings";
        }
        if (raw == String.class) {
            return "a string";
        }
        if (raw == Boolean.class) {
            return "true or false";
        }
        if (raw == Integer.class) {
            return "a whole number";
        }
        if (raw == Double.class) {
            return "a number";
        }
        return "an object";
    }

    /** Takes the body's token, where it has one, out of a refusal. */
    private static String redacted(String text, byte[] body) {
        try {
            Map<?, ?> fields = LENIENT.fromJson(new ByteArrayInputStream(body), Map.class);
            if (fields != null && fields.get("auth_token") instanceof String token && !token.isEmpty()) {
                return text.replace(token, Redacts.REDACTED);
            }
        } catch (RuntimeException e) {
            // not an object: then there is no token to find, and the refusal quotes nothing of the body
        }
        return text;
    }

    /** A string only from a JSON string ({@code null} stays null, for the constraints to judge). */
    public static final class Strings implements JsonbDeserializer<String> {
        @Override
        public String deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
            JsonValue v = parser.getValue();
            if (v instanceof JsonString s) {
                return s.getString();
            }
            if (v.getValueType() == JsonValue.ValueType.NULL) {
                return null;
            }
            throw new JsonbException("not a string");
        }
    }

    /** A boolean only from {@code true} or {@code false}. */
    public static final class Booleans implements JsonbDeserializer<Boolean> {
        @Override
        public Boolean deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
            return switch (parser.getValue().getValueType()) {
                case TRUE -> Boolean.TRUE;
                case FALSE -> Boolean.FALSE;
                case NULL -> null;
                default -> throw new JsonbException("not true or false");
            };
        }
    }

    /** A whole number only from a JSON number without a fraction; one past int's range saturates (a limit refuses it). */
    public static final class Integers implements JsonbDeserializer<Integer> {
        @Override
        public Integer deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
            JsonValue v = parser.getValue();
            if (v instanceof JsonNumber n && n.isIntegral()) {
                return (int) n.doubleValue();
            }
            if (v.getValueType() == JsonValue.ValueType.NULL) {
                return null;
            }
            throw new JsonbException("not a whole number");
        }
    }

    /** A number only from a JSON number. */
    public static final class Doubles implements JsonbDeserializer<Double> {
        @Override
        public Double deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
            JsonValue v = parser.getValue();
            if (v instanceof JsonNumber n) {
                return n.doubleValue();
            }
            if (v.getValueType() == JsonValue.ValueType.NULL) {
                return null;
            }
            throw new JsonbException("not a number");
        }
    }
}
