package io.cdnodes.agent.run;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What every run on this worker shares.
 *
 * @param python          the interpreter
 * @param pluginDir       the folder holding {@code cdnodes_pytest_plugin.py} and {@code cdnodes_declared_deps.py}
 * @param runsDir         where each run gets its private copy of the project
 * @param maxOutputBytes  pytest output kept per run
 * @param maxMessageChars longest failure text per test
 * @param venvsDir        where the virtual environments of {@code install_deps} runs are kept
 * @param sessionIdle     how long a serving pytest is kept without a batch (see {@link Sessions}); zero starts a
 *                        pytest for every assignment
 */
public record RunSettings(String python, Path pluginDir, Path runsDir, long maxOutputBytes, int maxMessageChars,
                          Path venvsDir, Duration sessionIdle) {

    /** What {@code --session-idle-s} defaults to. */
    public static final Duration DEFAULT_SESSION_IDLE = Duration.ofSeconds(30);

    public RunSettings {
        if (sessionIdle.isNegative()) {
            throw new IllegalArgumentException("sessionIdle must not be negative: " + sessionIdle);
        }
    }

    /** Settings with the default session idle time. */
    public RunSettings(String python, Path pluginDir, Path runsDir, long maxOutputBytes, int maxMessageChars,
                       Path venvsDir) {
        this(python, pluginDir, runsDir, maxOutputBytes, maxMessageChars, venvsDir, DEFAULT_SESSION_IDLE);
    }

    /** Settings with environments kept next to the runs folder ({@code <runsDir>/../venvs}). */
    public RunSettings(String python, Path pluginDir, Path runsDir, long maxOutputBytes, int maxMessageChars) {
        this(python, pluginDir, runsDir, maxOutputBytes, maxMessageChars, runsDir.resolveSibling("venvs"));
    }
}
