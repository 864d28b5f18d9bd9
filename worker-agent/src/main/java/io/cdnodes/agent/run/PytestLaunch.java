package io.cdnodes.agent.run;

import io.cdnodes.agent.deps.DeclarationScanner;
import io.cdnodes.agent.deps.InstallException;
import io.cdnodes.agent.deps.TestDependencies;
import io.cdnodes.agent.packages.Folders;
import io.cdnodes.agent.process.ChildEnvironment;
import io.cdnodes.agent.sandbox.SandboxSpec;
import io.cdnodes.protocol.frame.Assign;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * How pytest is started for an assignment, the same way whether it runs one batch or serves many: a private
 * copy of the project, the interpreter (the worker's, or with {@link Assign#INSTALL_DEPS} the project's test
 * environment's), {@code python -m pytest -p cdnodes_pytest_plugin <the user's args>}, and an environment
 * holding the user's variables and the plugin's, but none of the agent's own {@code CDNODES_*}; and the sandbox
 * it runs in: its run folder (the copy, the plugin's report and batch files, the scratch folders) writable, the
 * plugin and the project's environment read-only, the network only with {@link Assign#NETWORK}.
 */
final class PytestLaunch {

    /** What a run folder holds that sandboxes mount ({@code /tmp}, {@code HOME}, {@code /dev/shm}): kept while used. */
    private static final Set<String> SCRATCH = Set.copyOf(SandboxSpec.SCRATCH_FOLDERS);

    private final Assign assign;
    private final RunSettings settings;

    PytestLaunch(Assign assign, RunSettings settings) {
        this.assign = assign;
        this.settings = settings;
    }

    /**
     * A fresh copy of the package at {@code project}; what {@code runDir}, which holds it, already holds is deleted
     * first, except the folder itself and its scratch folders: an interpreter started ahead may be in a sandbox that
     * mounts them, and deleting a folder that another mount namespace mounts something on (a run folder under
     * {@code /tmp} is mounted inside the scratch {@code tmp}) would take that mount away. Run folders are never
     * reused, so their scratch folders hold nothing of another run.
     */
    void copyProject(Path packageDir, Path runDir, Path project) throws IOException {
        clearButScratch(runDir);
        Folders.copy(packageDir, project);
    }

    /** Deletes what a run folder holds but its scratch folders (see {@link #copyProject}). */
    static void clearButScratch(Path runDir) throws IOException {
        if (Files.isDirectory(runDir)) {
            try (var children = Files.list(runDir)) {
                for (Path child : children.toList()) {
                    if (!SCRATCH.contains(child.getFileName().toString())) {
                        Folders.delete(child);
                    }
                }
            }
        }
    }

    /** The pytest deadline: the assignment's time limit from now. */
    long deadline() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(assign.timeoutSeconds());
    }

    /** The interpreter, when it is known before the project is copied: the worker's, unless the project has its own. */
    Optional<String> knownInterpreter() {
        return assign.directive(Assign.INSTALL_DEPS) ? Optional.empty() : Optional.of(settings.python());
    }

    /**
     * The worker's Python, or with {@link Assign#INSTALL_DEPS} the one of the project's test environment, made
     * ready within a time limit of its own.
     */
    String interpreter(Path project, BooleanSupplier cancelled) throws InstallException {
        if (!assign.directive(Assign.INSTALL_DEPS)) {
            return settings.python();
        }
        return new TestDependencies(settings.python(), settings.pluginDir().resolve(DeclarationScanner.HELPER),
                settings.venvsDir(), settings.maxOutputBytes(), settings.sandbox())
                .python(project, deadline(), cancelled, "assignment=" + assign.assignmentId());
    }

    /** What the sandbox of a pytest with {@code python} shows besides its run folder. */
    SandboxSpec.Shape shape(String python) {
        List<Path> readOnly = new ArrayList<>(List.of(settings.pluginDir()));
        if (!python.equals(settings.python())) {
            readOnly.add(Path.of(python).getParent().getParent()); // the project's virtual environment
        }
        return new SandboxSpec.Shape(readOnly, assign.directive(Assign.NETWORK));
    }

    /** The sandbox of a pytest with {@code python} whose run folder is {@code runDir}. */
    SandboxSpec sandbox(String python, Path runDir) {
        return SandboxSpec.forRun(runDir, shape(python));
    }

    /** Starts {@code pb} (from {@link #builder}) in its sandbox; its project's parent is the run folder. */
    Process start(ProcessBuilder pb, String python) throws IOException {
        Path runDir = pb.directory().toPath().getParent();
        return settings.sandbox().wrap(pb, sandbox(python, runDir)).start();
    }

    /**
     * The command as it runs inside the sandbox (or as it is, unsandboxed).
     *
     * @param mode      the plugin's mode: collect, run or serve
     * @param variables the plugin's variables for that mode ({@code CDNODES_REPORT}, ...)
     */
    ProcessBuilder builder(String python, Path project, String mode, Map<String, String> variables) {
        List<String> cmd = new ArrayList<>(List.of(python, "-m", "pytest", "-p", "cdnodes_pytest_plugin"));
        if (mode.equals("collect")) {
            cmd.add("--collect-only");
        }
        cmd.addAll(assign.pytestArgs());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        environment(env, python);
        env.put("CDNODES_MODE", mode);
        env.put("CDNODES_MAX_MESSAGE", Integer.toString(settings.maxMessageChars()));
        env.put("CDNODES_REPORT_CHARS", Integer.toString(assign.reportChars()));
        env.putAll(variables);
        return pb;
    }

    private void environment(Map<String, String> env, String python) {
        ChildEnvironment.PROJECT.keepIn(env);
        if (!python.equals(settings.python())) {
            // as an activated environment: tests that start "python" or a console script get the environment's
            Path bin = Path.of(python).getParent();
            env.put("VIRTUAL_ENV", bin.getParent().toString());
            String path = env.get("PATH");
            env.put("PATH", bin + (path == null || path.isEmpty() ? "" : File.pathSeparator + path));
            env.remove("PYTHONHOME");
        } else if (settings.sandbox().pathFirst() != null) {
            // the interpreter was found through a launcher the sandbox does not show (a pyenv shim)
            Path dir = settings.sandbox().pathFirst();
            String path = env.get("PATH");
            if (path == null || path.isEmpty()) {
                env.put("PATH", dir.toString());
            } else if (!List.of(path.split(File.pathSeparator)).contains(dir.toString())) {
                env.put("PATH", dir + File.pathSeparator + path);
            }
        }
        String inheritedPath = env.get("PYTHONPATH");
        env.putAll(assign.env());
        String userPath = assign.env().getOrDefault("PYTHONPATH", inheritedPath);
        env.put("PYTHONPATH", settings.pluginDir() + (userPath == null || userPath.isEmpty() ? ""
                : File.pathSeparator + userPath));
    }
}
