package io.cdnodes.agent;

import java.io.IOException;
import java.nio.file.Path;

/** Installs the agent's pytest plugin for tests outside this package. */
public final class TestPlugin {

    private TestPlugin() {
    }

    /** {@link Startup#installPlugin(Path)}: the folder to put on PYTHONPATH. */
    public static Path install(Path dir) throws IOException {
        return Startup.installPlugin(dir);
    }
}
