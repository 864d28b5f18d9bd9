package io.cdnodes.agent.deps;

import io.cdnodes.agent.packages.Folders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One folder of virtual environments for every test in this JVM, emptied when first used: the tests that need
 * an environment with {@code tabulate} share it, so a build installs it once, and never finds one from an
 * earlier build.
 */
public final class TestVenvs {

    /** What the tests that install something declare: one small pure-Python package from pip's index. */
    public static final String REQUIREMENT = "tabulate";

    private static Path root;

    private TestVenvs() {
    }

    public static synchronized Path root() {
        if (root == null) {
            try {
                Path r = Path.of("target", "test-venvs").toAbsolutePath();
                Folders.delete(r);
                root = Files.createDirectories(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }
}
