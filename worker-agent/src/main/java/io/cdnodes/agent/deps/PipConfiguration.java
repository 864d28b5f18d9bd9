package io.cdnodes.agent.deps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What pip reads as the worker's machine has it configured, which a sandboxed installation must still see: the
 * worker's user's own configuration file (pip looks for it under a {@code HOME} the sandbox replaces), and the
 * local folders and files that the configuration and the {@code PIP_*} variables name (a local index
 * {@code file:///opt/pypi/simple}, shown with the folder holding it, where such an index keeps its files;
 * {@code find-links = /opt/wheels}; a constraints file). Anything else pip needs goes in
 * {@code --sandbox-ro-bind}. The global files
 * ({@code /etc/pip.conf}, {@code /etc/xdg/pip/pip.conf}) are in {@code /etc}, which every sandbox shows.
 */
final class PipConfiguration {

    private static final List<Path> GLOBAL = List.of(Path.of("/etc/pip.conf"), Path.of("/etc/xdg/pip/pip.conf"));

    /** The user's file a sandbox would hide: {@code PIP_CONFIG_FILE}, else the one under the user's home. */
    private final Optional<Path> userFile;
    private final List<Path> localPaths;

    private PipConfiguration(Optional<Path> userFile, List<Path> localPaths) {
        this.userFile = userFile;
        this.localPaths = localPaths;
    }

    /** Reads the configuration as pip would find it with this environment. */
    static PipConfiguration of(Map<String, String> env) {
        Optional<Path> user = userFile(env);
        List<Path> files = new ArrayList<>(GLOBAL);
        user.ifPresent(files::add);
        return new PipConfiguration(user, localPaths(env, files));
    }

    /** The user's configuration file, to be shown read-only and named by {@code PIP_CONFIG_FILE}. */
    Optional<Path> userFile() {
        return userFile;
    }

    /** Local folders and files named by the configuration, to be shown read-only. */
    List<Path> localPaths() {
        return localPaths;
    }

    private static Optional<Path> userFile(Map<String, String> env) {
        List<Path> candidates = new ArrayList<>();
        if (env.get("PIP_CONFIG_FILE") != null) {
            candidates.add(Path.of(env.get("PIP_CONFIG_FILE")));
        } else if (env.get("HOME") != null) {
            Path home = Path.of(env.get("HOME"));
            candidates.add(home.resolve(".config/pip/pip.conf"));
            candidates.add(home.resolve(".pip/pip.conf"));
        }
        return candidates.stream().map(Path::toAbsolutePath).filter(Files::isRegularFile).findFirst();
    }

    /** Every absolute path or {@code file://} URL in the {@code PIP_*} values and in the files that exists. */
    static List<Path> localPaths(Map<String, String> env, List<Path> files) {
        Set<Path> out = new LinkedHashSet<>();
        env.forEach((k, v) -> {
            if (k.startsWith("PIP_") && !k.equals("PIP_CONFIG_FILE")) {
                words(v, out);
            }
        });
        for (Path f : files) {
            try {
                for (String line : Files.readAllLines(f)) {
                    String t = line.strip();
                    if (!t.startsWith("#") && !t.startsWith(";")) {
                        words(t.replace('=', ' '), out);
                    }
                }
            } catch (IOException e) {
                // absent or unreadable: pip would not read it either
            }
        }
        return List.copyOf(out);
    }

    private static void words(String value, Set<Path> out) {
        for (String word : value.trim().split("\\s+")) {
            boolean url = word.startsWith("file://");
            Path path = Path.of(url ? word.substring("file://".length()) : word).normalize();
            if (path.isAbsolute() && Files.exists(path)) {
                // a local index's pages (.../simple) link to its files in a folder beside them
                out.add(url && path.getFileName() != null && path.getFileName().toString().equals("simple")
                        && path.getParent() != null && path.getParent().getNameCount() > 0 ? path.getParent() : path);
            }
        }
    }
}
