package io.cdnodes.e2e.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a stage of {@code docker/Dockerfile} runs, read from the file itself: its {@code ENV} settings, its
 * {@code ENTRYPOINT} and its {@code HEALTHCHECK} command, so that a test can run the same commands as plain
 * processes (no Docker engine here) against the tree the build made.
 */
public final class Dockerfile {

    /** One stage ({@code FROM ... AS name}). */
    public record Stage(String name, Map<String, String> env, List<String> entrypoint, List<String> healthcheck) {
    }

    private static final Pattern ENV_PAIR = Pattern.compile("([A-Z_][A-Z0-9_]*)=(\"[^\"]*\"|\\S+)");

    private Dockerfile() {
    }

    public static Path path() {
        return Path.of(System.getProperty("cdnodes.root", "..")).resolve("docker/Dockerfile").toAbsolutePath()
                .normalize();
    }

    /** The stage of that name. */
    public static Stage stage(String name) {
        try {
            return parse(Files.readAllLines(path())).stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("docker/Dockerfile has no stage " + name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Stage> parse(List<String> lines) throws IOException {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            if (current.isEmpty() && (line.isBlank() || line.stripLeading().startsWith("#"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
            } else {
                current.append(line);
                instructions.add(current.toString().strip());
                current.setLength(0);
            }
        }
        List<Stage> stages = new ArrayList<>();
        String name = null;
        Map<String, String> env = new LinkedHashMap<>();
        List<String> entrypoint = List.of();
        List<String> healthcheck = List.of();
        for (String ins : instructions) {
            String[] parts = ins.split("\\s+", 2);
            String keyword = parts[0].toUpperCase(java.util.Locale.ROOT);
            String rest = parts.length > 1 ? parts[1] : "";
            switch (keyword) {
                case "FROM" -> {
                    if (name != null) {
                        stages.add(new Stage(name, Map.copyOf(env), entrypoint, healthcheck));
                    }
                    Matcher m = Pattern.compile("(?i)\\sAS\\s+(\\S+)").matcher(rest);
                    name = m.find() ? m.group(1) : rest;
                    env = new LinkedHashMap<>();
                    entrypoint = List.of();
                    healthcheck = List.of();
                }
                case "ENV" -> {
                    Matcher m = ENV_PAIR.matcher(rest);
                    while (m.find()) {
                        String v = m.group(2);
                        env.put(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
                    }
                }
                case "ENTRYPOINT" -> entrypoint = execForm(rest);
                case "HEALTHCHECK" -> {
                    int cmd = rest.indexOf("CMD ");
                    String command = rest.substring(cmd + 4).strip();
                    healthcheck = command.startsWith("[") ? execForm(command) : List.of("sh", "-c", command);
                }
                default -> {
                }
            }
        }
        if (name != null) {
            stages.add(new Stage(name, Map.copyOf(env), entrypoint, healthcheck));
        }
        return stages;
    }

    private static List<String> execForm(String json) throws IOException {
        return List.of(new ObjectMapper().readValue(json, String[].class));
    }
}
