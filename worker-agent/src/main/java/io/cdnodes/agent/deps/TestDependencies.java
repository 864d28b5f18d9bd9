package io.cdnodes.agent.deps;

import io.cdnodes.agent.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * The Python an assignment with the {@code install_deps} directive runs pytest with: the Python of the
 * environment holding what the project declares for its tests, or the worker's own Python when it declares
 * nothing. Thread-safe.
 */
public final class TestDependencies {

    private static final System.Logger LOG = System.getLogger(TestDependencies.class.getName());

    private final String basePython;
    private final DeclarationScanner scanner;
    private final VirtualEnvs envs;

    /**
     * @param basePython     the worker's Python
     * @param helper         {@value DeclarationScanner#HELPER}, installed by the agent
     * @param venvs          where environments are kept
     * @param maxOutputBytes pip output kept per step
     */
    public TestDependencies(String basePython, Path helper, Path venvs, long maxOutputBytes) {
        this(basePython, helper, venvs, maxOutputBytes, Sandbox.off("not asked for"));
    }

    /** @param sandbox what the scanner, venv and pip run in */
    public TestDependencies(String basePython, Path helper, Path venvs, long maxOutputBytes, Sandbox sandbox) {
        this.basePython = basePython;
        this.scanner = new DeclarationScanner(basePython, helper, sandbox);
        this.envs = new VirtualEnvs(basePython, venvs, maxOutputBytes, sandbox);
    }

    /**
     * @param project       the run's copy of the project
     * @param deadlineNanos {@link System#nanoTime()} by which the environment must be ready
     * @param cancelled     polled while pip runs
     * @param label         who asks, for the log ({@code assignment=12})
     */
    public String python(Path project, long deadlineNanos, BooleanSupplier cancelled, String label)
            throws InstallException {
        DeclaredDeps deps = scanner.scan(project, deadlineNanos, cancelled);
        if (!deps.dropped().isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "{0}: not installed: {1}", label, deps.dropped());
        }
        if (deps.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "{0}: the project declares no test dependencies; the worker''s Python runs it",
                    label);
            return basePython;
        }
        Path python = envs.python(deps, deadlineNanos, cancelled);
        LOG.log(System.Logger.Level.INFO, "{0}: runs in environment {1} ({2})", label, deps.key().substring(0, 12),
                String.join(", ", deps.requirements()));
        return python.toString();
    }
}
