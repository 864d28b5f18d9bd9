package io.cdnodes.agent.run;

import io.cdnodes.agent.sandbox.Sandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What every run on this worker shares.
 *
 * @param python          the interpreter (on a sandboxed worker, the interpreter itself rather than a launcher
 *                        such as a pyenv shim: the sandbox shows the installation, not the launcher)
 * @param pluginDir       the folder holding {@code cdnodes_pytest_plugin.py} and {@code cdnodes_declared_deps.py}
 * @param runsDir         where each run gets its private copy of the project
 * @param maxOutputBytes  pytest output kept per run
 * @param maxMessageChars longest failure text per test
 * @param venvsDir        where the virtual environments of {@code install_deps} runs are kept
 * @param sessionIdle     how long a serving pytest is kept without a batch (see {@link PytestSessions}); zero starts a
 *                        pytest for every assignment
 * @param sandbox         what every process of a project runs in
 */
public record RunSettings(String python, Path pluginDir, Path runsDir, long maxOutputBytes, int maxMessageChars,
                          Path venvsDir, Duration sessionIdle, Sandbox sandbox) {

    /** What {@code --session-idle-s} defaults to. */
    public static final Duration DEFAULT_SESSION_IDLE = Duration.ofSeconds(30);

    public RunSettings {
        if (sessionIdle.isNegative()) {
            throw new IllegalArgumentException("sessionIdle must not be negative: " + sessionIdle);
        }
        Objects.requireNonNull(sandbox, "sandbox");
    }

    /** Settings without a sandbox. */
    public RunSettings(String python, Path pluginDir, Path runsDir, long maxOutputBytes, int maxMessageChars,
                       Path venvsDir, Duration sessionIdle) {
        this(python, pluginDir, runsDir, maxOutputBytes, maxMessageChars, venvsDir, sessionIdle,
                Sandbox.off("not asked for"));
    }

    /** Settings with the default session idle time, without a sandbox. */
    public RunSettings(String python, Path pluginDir, Path runsDir, long maxOutputBytes, int maxMessageChars,
                       Path venvsDir) {
        this(python, pluginDir, runsDir, maxOutputBytes, maxMessageChars, venvsDir, DEFAULT_SESSION_IDLE);
    }

    /** Settings with environments kept next to the runs folder ({@code <runsDir>/../venvs}), without a sandbox. */
    public RunSettings(String python, Path pluginDir, Path runsDir, long maxOutputBytes, int maxMessageChars) {
        this(python, pluginDir, runsDir, maxOutputBytes, maxMessageChars, runsDir.resolveSibling("venvs"));
    }

    /** The same settings with another sandbox and interpreter. */
    public RunSettings sandboxed(Sandbox other, String interpreter) {
        return new RunSettings(interpreter, pluginDir, runsDir, maxOutputBytes, maxMessageChars, venvsDir,
                sessionIdle, other);
    }
}
