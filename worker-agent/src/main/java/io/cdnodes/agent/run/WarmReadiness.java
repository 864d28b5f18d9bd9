package io.cdnodes.agent.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What a warm interpreter wrote once it was ready ({@code <runs>/s<id>/warm-ready.json}): the top-level modules it
 * imported and the modification times of its {@code sys.path} folders (negative for one that did not exist), and
 * the one decision made from them: whether it runs a start as a cold start would.
 *
 * <p>It does not whenever the warm one could differ: a file or folder in the project's root named like a module
 * the interpreter already imported (a {@code json.py}, a {@code pytest/}: a cold start would import that instead),
 * or a {@code sitecustomize}/{@code usercustomize}, there or in a {@code sys.path} folder inside the project (a
 * relative {@code PYTHONPATH} entry such as {@code src}, empty while the interpreter started); a {@code sys.path}
 * folder outside the project changed since, or one that did not exist then and does now (a package installed or
 * removed); or arguments, folder or plugin variables that are not plain ASCII (a command line is decoded by the
 * locale, the JSON line is not).
 */
record WarmReadiness(Set<String> modules, Map<String, Long> pathTimes) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The file the interpreter writes, in its session's folder. */
    static final String FILE = "warm-ready.json";

    static WarmReadiness read(Path file) throws IOException {
        JsonNode ready = JSON.readTree(file.toFile());
        Set<String> modules = new HashSet<>();
        ready.path("modules").forEach(m -> modules.add(m.asText()));
        Map<String, Long> times = new LinkedHashMap<>();
        ready.path("paths").fields().forEachRemaining(e -> times.put(e.getKey(), e.getValue().asLong()));
        return new WarmReadiness(modules, times);
    }

    /** Whether an interpreter that was ready as this runs {@code pb} as a cold start would. */
    boolean sameAsCold(ProcessBuilder pb) throws IOException {
        if (!ascii(pb.directory().getAbsolutePath()) || !pb.command().stream().allMatch(WarmReadiness::ascii)
                || !WarmKey.pluginVariables(pb).entrySet().stream()
                .allMatch(e -> ascii(e.getKey()) && ascii(e.getValue()))) {
            return false;
        }
        Path project = pb.directory().toPath().toAbsolutePath().normalize();
        // the project's own folder comes first on a cold start's sys.path
        List<Path> inProject = new ArrayList<>(List.of(project));
        for (Map.Entry<String, Long> e : pathTimes.entrySet()) {
            Path p = Path.of(e.getKey()).toAbsolutePath().normalize();
            if (p.startsWith(project)) {
                // empty while the interpreter started (a relative PYTHONPATH entry such as src): what the copy put
                // there would have been found by a cold start's imports and start-up
                inProject.add(p);
            } else if (e.getValue() < 0 ? Files.exists(p) : !Files.isDirectory(p)
                    || Files.getLastModifiedTime(p).to(TimeUnit.NANOSECONDS) != e.getValue()) {
                return false;
            }
        }
        for (Path dir : inProject) {
            if (Files.isDirectory(dir) && shadows(dir)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code dir} holds a file or folder named like an imported module, or a site customization. */
    private boolean shadows(Path dir) throws IOException {
        try (var names = Files.list(dir)) {
            return names.map(p -> p.getFileName().toString())
                    .map(name -> name.indexOf('.') < 0 ? name : name.substring(0, name.indexOf('.')))
                    .anyMatch(name -> modules.contains(name) || name.equals("sitecustomize")
                            || name.equals("usercustomize"));
        }
    }

    private static boolean ascii(String s) {
        return s.chars().allMatch(c -> c > 0 && c < 128);
    }
}
