package io.cdnodes.agent.deps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdnodes.protocol.transfer.PackageDigest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a project declares for its tests, as {@code cdnodes_declared_deps.py} found it.
 *
 * @param python       the interpreter the environment is made from: version and {@code sys.prefix}
 * @param inherit      that interpreter's own site-packages when it is itself a virtual environment
 * @param requirements what pip installs, normalised, sorted, unique
 * @param sources      where they were declared (for the log)
 * @param dropped      what was left out: local paths, the project itself, pip options
 */
public record DeclaredDeps(String python, List<String> inherit, List<String> requirements, List<String> sources,
                           List<String> dropped) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public DeclaredDeps {
        inherit = List.copyOf(inherit);
        requirements = List.copyOf(new TreeSet<>(requirements));
        sources = List.copyOf(sources);
        dropped = List.copyOf(dropped);
    }

    /** Nothing to install: the run uses the worker's own Python. */
    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    /**
     * The text an environment is keyed by: the interpreter and the requirements, nothing else, so that two
     * packages declaring the same things (in whichever files) share one environment.
     */
    public String canonical() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("python", python);
        m.put("requirements", requirements);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of {@link #canonical()}, hex: the environment's folder name. */
    public String key() {
        return PackageDigest.of(canonical().getBytes(StandardCharsets.UTF_8));
    }
}
