package io.cdnodes.coordinator.evaluation;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Run options as stored with an evaluation ({@code Evaluation.optionsJson}), in the same JSON shape the HTTP API
 * takes. Storage only: request bodies are read in web. What is read back is checked again, so that a row written
 * by an older version reads the same or not at all.
 */
public final class OptionsJson {

    private static final List<String> KNOWN = List.of("pytest_args", "env", "install_deps", "strategy", "granularity",
            "network", "reruns", "reruns_delay");

    private OptionsJson() {
    }

    public static String write(RunOptions o) {
        JsonArrayBuilder args = Json.createArrayBuilder();
        o.pytestArgs().forEach(args::add);
        JsonObjectBuilder env = Json.createObjectBuilder();
        new java.util.TreeMap<>(o.env()).forEach(env::add);
        JsonObjectBuilder obj = Json.createObjectBuilder().add("pytest_args", args).add("env", env);
        // only when not the default: options stored before these keys existed read back the same
        if (o.installDeps()) {
            obj.add("install_deps", true);
        }
        if (!o.strategy().equals(RunOptions.DYNAMIC)) {
            obj.add("strategy", o.strategy());
        }
        if (!o.granularity().equals(RunOptions.AUTO)) {
            obj.add("granularity", o.granularity());
        }
        if (o.network()) {
            obj.add("network", true);
        }
        if (o.reruns() != 0) {
            obj.add("reruns", o.reruns());
        }
        if (o.rerunsDelay() != 0) {
            obj.add("reruns_delay", o.rerunsDelay());
        }
        return obj.build().toString();
    }

    /**
     * Reads options in the API's shape.
     *
     * @throws IllegalArgumentException with a message for the user when the JSON does not have that shape
     */
    public static RunOptions read(String json) {
        if (json == null || json.isBlank()) {
            return RunOptions.none();
        }
        JsonObject obj;
        try (var reader = Json.createReader(new StringReader(json))) {
            obj = reader.readObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("options must be a JSON object: " + e.getMessage());
        }
        return from(obj);
    }

    private static RunOptions from(JsonObject obj) {
        List<String> args = new ArrayList<>();
        JsonValue a = obj.get("pytest_args");
        if (a != null && a.getValueType() != JsonValue.ValueType.NULL) {
            if (a.getValueType() != JsonValue.ValueType.ARRAY) {
                throw new IllegalArgumentException("options.pytest_args must be an array of strings");
            }
            for (JsonValue v : a.asJsonArray()) {
                if (!(v instanceof JsonString s)) {
                    throw new IllegalArgumentException("options.pytest_args must be an array of strings");
                }
                args.add(s.getString());
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        JsonValue e = obj.get("env");
        if (e != null && e.getValueType() != JsonValue.ValueType.NULL) {
            if (e.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new IllegalArgumentException("options.env must be an object of strings");
            }
            for (Map.Entry<String, JsonValue> en : e.asJsonObject().entrySet()) {
                if (!(en.getValue() instanceof JsonString s)) {
                    throw new IllegalArgumentException("options.env." + en.getKey() + " must be a string");
                }
                env.put(en.getKey(), s.getString());
            }
        }
        boolean installDeps = bool(obj, "install_deps");
        boolean network = bool(obj, "network");
        for (String key : obj.keySet()) {
            if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException("options." + key + " is not a known option (known: "
                        + String.join(", ", KNOWN) + ")");
            }
        }
        return new RunOptions(args, env, installDeps, string(obj, "strategy"), string(obj, "granularity"), network,
                (int) number(obj, "reruns", true), number(obj, "reruns_delay", false)).validated();
    }

    private static boolean bool(JsonObject obj, String key) {
        JsonValue d = obj.get(key);
        if (d == null || d.getValueType() == JsonValue.ValueType.NULL) {
            return false;
        }
        if (d.getValueType() != JsonValue.ValueType.TRUE && d.getValueType() != JsonValue.ValueType.FALSE) {
            throw new IllegalArgumentException("options." + key + " must be true or false");
        }
        return d.getValueType() == JsonValue.ValueType.TRUE;
    }

    private static double number(JsonObject obj, String key, boolean integral) {
        JsonValue v = obj.get(key);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return 0;
        }
        if (!(v instanceof JsonNumber n) || integral && !n.isIntegral()) {
            throw new IllegalArgumentException("options." + key + " must be " + (integral ? "a whole number" : "a number"));
        }
        return n.doubleValue(); // a whole number past int's range saturates when cast, and is refused as such
    }

    private static String string(JsonObject obj, String key) {
        JsonValue v = obj.get(key);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!(v instanceof JsonString s)) {
            throw new IllegalArgumentException("options." + key + " must be a string");
        }
        return s.getString();
    }
}
