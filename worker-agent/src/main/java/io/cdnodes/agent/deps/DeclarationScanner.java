package io.cdnodes.agent.deps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdnodes.agent.packages.Folders;
import io.cdnodes.agent.process.ChildEnvironment;
import io.cdnodes.agent.process.Subprocess;
import io.cdnodes.agent.sandbox.Sandbox;
import io.cdnodes.agent.sandbox.SandboxSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Finds what a project declares for its tests by running {@value #HELPER} with the worker's Python. The
 * helper only reads files (requirement files, pyproject.toml, setup.cfg); it never imports the project. On a
 * sandboxed worker it runs in a sandbox that shows the project and the helper read-only, without network, with a
 * scratch folder of its own next to the project.
 */
public final class DeclarationScanner {

    /** The helper's file name; the agent installs it next to its pytest plugin. */
    public static final String HELPER = "cdnodes_declared_deps.py";

    private static final long MAX_OUTPUT = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String python;
    private final Path helper;
    private final Sandbox sandbox;

    /** A scanner that runs the helper unsandboxed. */
    public DeclarationScanner(String python, Path helper) {
        this(python, helper, Sandbox.off("not asked for"));
    }

    public DeclarationScanner(String python, Path helper, Sandbox sandbox) {
        this.python = python;
        this.helper = helper.toAbsolutePath();
        this.sandbox = sandbox;
    }

    /** @throws InstallException when the declarations cannot be read (an invalid pyproject.toml, say) */
    public DeclaredDeps scan(Path project, long deadlineNanos, BooleanSupplier cancelled) throws InstallException {
        Subprocess.Result r;
        Path scratch = project.toAbsolutePath().resolveSibling(project.getFileName() + "-deps-scan");
        try {
            ProcessBuilder pb = Subprocess.plain(List.of(python, helper.toString(), project.toString()), project,
                    ChildEnvironment.PROJECT);
            SandboxSpec spec = new SandboxSpec(List.of(), List.of(project.toAbsolutePath(), helper.getParent()),
                    scratch, false);
            r = Subprocess.run(sandbox.wrap(pb, spec), deadlineNanos, cancelled, MAX_OUTPUT);
        } catch (IOException e) {
            throw new InstallException("cannot start " + python + " to read the project's test dependencies: "
                    + e.getMessage());
        } finally {
            Folders.deleteQuietly(scratch);
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
