package io.cdnodes.agent.deps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdnodes.agent.process.Subprocess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Finds what a project declares for its tests by running {@value #HELPER} with the worker's Python. The
 * helper only reads files (requirement files, pyproject.toml, setup.cfg); it never imports the project.
 */
public final class DeclarationScanner {

    /** The helper's file name; the agent installs it next to its pytest plugin. */
    public static final String HELPER = "cdnodes_declared_deps.py";

    private static final long MAX_OUTPUT = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String python;
    private final Path helper;

    public DeclarationScanner(String python, Path helper) {
        this.python = python;
        this.helper = helper;
    }

    /** @throws InstallException when the declarations cannot be read (an invalid pyproject.toml, say) */
    public DeclaredDeps scan(Path project, long deadlineNanos, BooleanSupplier cancelled) throws InstallException {
        Subprocess.Result r;
        try {
            r = Subprocess.run(List.of(python, helper.toString(), project.toString()), project, deadlineNanos,
                    cancelled, MAX_OUTPUT);
        } catch (IOException e) {
            throw new InstallException("cannot start " + python + " to read the project's test dependencies: "
                    + e.getMessage());
        }
        if (r.ending() == Subprocess.Ending.CANCELLED) {
            throw new InstallException("cancelled while reading the project's test dependencies", true);
        }
        if (!r.succeeded()) {
            throw new InstallException("cannot read the project's test dependencies: " + r.output().strip());
        }
        String[] lines = r.output().strip().split("\\R");
        try {
            JsonNode n = JSON.readTree(lines[lines.length - 1]);
            return new DeclaredDeps(n.path("python").asText(), strings(n.path("inherit")),
                    strings(n.path("requirements")), strings(n.path("sources")), strings(n.path("dropped")));
        } catch (IOException e) {
            throw new InstallException("unexpected answer from " + HELPER + ": " + r.output().strip());
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
