package io.cdnodes.coordinator.results;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Map;
import java.util.TreeMap;

/** A test's recorded properties as stored: a JSON object of strings. */
final class PropertiesJson {

    private PropertiesJson() {
    }

    static String write(Map<String, String> properties) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        new TreeMap<>(properties).forEach(b::add);
        return b.build().toString();
    }

    static Map<String, String> read(String json) {
        Map<String, String> out = new TreeMap<>();
        try (var reader = Json.createReader(new StringReader(json))) {
            JsonObject o = reader.readObject();
            o.forEach((k, v) -> out.put(k, v.getValueType() == JsonValue.ValueType.STRING
                    ? ((JsonString) v).getString() : v.toString()));
        }
        return out;
    }
}
