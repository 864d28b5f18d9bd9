package io.cdnodes.coordinator.repositories;

import io.cdnodes.coordinator.evaluation.OptionsJson;
import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.coordinator.intake.IntakeException;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A submission of repositories, as {@code POST /evaluation} takes it in JSON:
 * {@code {"auth_token": "...", "projects": ["https://github.com/o/r", ...], "options": {...}}}.
 *
 * @param projects the repositories, in the order given
 * @param names    each project's name: the repository's, or {@code owner-repo} where two would be the same
 * @param token    the token to fetch them with ({@link AccessToken#NONE} when none was given)
 * @param options  the run options of every project
 */
public record RepositoryRequest(List<RepositoryUrl> projects, List<String> names, AccessToken token, RunOptions options) {

    /** Projects in one submission at most: the same cap as for an upload's projects. */
    public static final int MAX_PROJECTS = io.cdnodes.coordinator.intake.ProjectLayout.MAX_PROJECTS;

    private static final java.util.Set<String> KEYS = java.util.Set.of("auth_token", "projects", "options");

    public RepositoryRequest {
        projects = List.copyOf(projects);
        names = List.copyOf(names);
    }

    /**
     * @throws IntakeException (bad request) saying what is wrong; no message shows the token
     */
    public static RepositoryRequest parse(String json) {
        JsonObject body = object(json);
        AccessToken token = token(body.get("auth_token"));
        try {
            for (String key : body.keySet()) {
                if (!KEYS.contains(key)) {
                    throw new IllegalArgumentException("'" + key + "' is not a known field (known: auth_token, projects, options)");
                }
            }
            List<RepositoryUrl> projects = projects(body.get("projects"));
            JsonValue o = body.get("options");
            RunOptions options;
            if (o == null || o.getValueType() == JsonValue.ValueType.NULL) {
                options = RunOptions.none();
            } else if (o.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new IllegalArgumentException("options must be an object like {\"pytest_args\": [...], \"env\": {...}}");
            } else {
                options = OptionsJson.from(o.asJsonObject());
            }
            return new RepositoryRequest(projects, names(projects), token, options);
        } catch (IllegalArgumentException e) {
            throw bad(token.scrub(e.getMessage()));
        }
    }

    /** What the evaluation came from, for people: its URLs (which carry no credentials), bounded. */
    public String source() {
        StringBuilder sb = new StringBuilder("repositories: ");
        for (int i = 0; i < projects.size(); i++) {
            String next = (i == 0 ? "" : ", ") + projects.get(i).url();
            if (sb.length() + next.length() > 900) {
                sb.append(", … (").append(projects.size()).append(" in all)");
                break;
            }
            sb.append(next);
        }
        return sb.toString();
    }

    private static JsonObject object(String json) {
        try (var reader = Json.createReader(new StringReader(json == null ? "" : json))) {
            JsonValue v = reader.readValue();
            if (v.getValueType() != JsonValue.ValueType.OBJECT) {
                throw bad("the body must be a JSON object like {\"auth_token\": \"...\", \"projects\": [\"https://github.com/o/r\"]}");
            }
            return v.asJsonObject();
        } catch (JsonParsingException e) {
            // the parser's message may quote the text around the error, token included: give the place only
            throw bad("the body is not valid JSON (at line " + e.getLocation().getLineNumber() + ", column "
                    + e.getLocation().getColumnNumber() + ")");
        } catch (JsonException e) {
            throw bad("the body is not valid JSON");
        }
    }

    private static AccessToken token(JsonValue v) {
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return AccessToken.NONE;
        }
        if (!(v instanceof JsonString s)) {
            throw bad("auth_token must be a string");
        }
        try {
            return AccessToken.of(s.getString());
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    private static List<RepositoryUrl> projects(JsonValue v) {
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            throw new IllegalArgumentException("'projects' is missing: give a list of repository URLs");
        }
        if (v.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new IllegalArgumentException("'projects' must be a list of repository URLs");
        }
        var array = v.asJsonArray();
        if (array.isEmpty()) {
            throw new IllegalArgumentException("'projects' is empty: give at least one repository URL");
        }
        if (array.size() > MAX_PROJECTS) {
            throw new IllegalArgumentException("'projects' lists " + array.size() + " repositories; at most "
                    + MAX_PROJECTS + " are accepted in one submission");
        }
        List<RepositoryUrl> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof JsonString s)) {
                throw new IllegalArgumentException("projects[" + i + "] is not a string");
            }
            try {
                out.add(RepositoryUrl.parse(s.getString()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("projects[" + i + "]: " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * The repository's name where it is unique in the submission, {@code owner-repo} where it is not, and a
     * number after that where even that repeats (the same URL twice).
     */
    static List<String> names(List<RepositoryUrl> projects) {
        Map<String, Integer> byName = new HashMap<>();
        projects.forEach(p -> byName.merge(p.name(), 1, Integer::sum));
        java.util.Set<String> used = new java.util.HashSet<>();
        List<String> out = new ArrayList<>(projects.size());
        for (RepositoryUrl p : projects) {
            String wanted = bounded(byName.get(p.name()) > 1 ? p.owner() + "-" + p.name() : p.name());
            String name = wanted;
            for (int n = 2; !used.add(name); n++) {
                name = wanted + "-" + n;
            }
            out.add(name);
        }
        return out;
    }

    private static String bounded(String name) {
        return name.length() <= 200 ? name : name.substring(0, 200);
    }

    private static IntakeException bad(String detail) {
        return new IntakeException(IntakeException.Kind.BAD_REQUEST, detail);
    }
}
