package io.cdnodes.agent.run;

import java.nio.file.Path;

/**
 * What every run on this worker shares.
 *
 * @param python          the interpreter
 * @param pluginDir       the folder holding {@code cdnodes_pytest_plugin.py} and {@code cdnodes_declared_deps.py}
 * @param runsDir         where each run gets its private copy of the project
 * @param maxOutputBytes  pytest output kept per run
 * @param maxMessageChars longest failure text per test
 * @param venvsDir        where the virtual environments of {@code install_deps} runs are kept
 */
public record RunSettings(String python, Path pluginDir, Path runsDir, long maxOutputBytes, int maxMessageChars,
                          Path venvsDir) {

    /** Settings with environments kept next to the runs folder ({@code <runsDir>/../venvs}). */
    public RunSettings(String python, Path pluginDir, Path runsDir, long maxOutputBytes, int maxMessageChars) {
        this(python, pluginDir, runsDir, maxOutputBytes, maxMessageChars, runsDir.resolveSibling("venvs"));
    }
}
