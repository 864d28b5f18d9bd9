package io.cdnodes.agent.run;

import java.nio.file.Path;

/**
 * What every run on this worker shares.
 *
 * @param python          the interpreter
 * @param pluginDir       the folder holding {@code cdnodes_pytest_plugin.py}
 * @param runsDir         where each run gets its private copy of the project
 * @param maxOutputBytes  pytest output kept per run
 * @param maxMessageChars longest failure text per test
 */
public record RunSettings(String python, Path pluginDir, Path runsDir, long maxOutputBytes, int maxMessageChars) {
}
