package io.cdnodes.e2e.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Python interpreter that has pytest: {@code python3} when it has it, otherwise a virtual environment under
 * target/ into which pytest is installed (with pip as the machine has it configured). Found once per JVM.
 */
public final class Python {

    private static String executable;

    private Python() {
    }

    public static synchronized String executable() {
        if (executable == null) {
            executable = find();
        }
        return executable;
    }

    private static String find() {
        if (run(List.of("python3", "-c", "import pytest")) == 0) {
            return "python3";
        }
        Path venv = Path.of(System.getProperty("cdnodes.work", "target/e2e-work")).toAbsolutePath().resolve("python");
        Path py = venv.resolve("bin/python");
        if (!Files.isExecutable(py) || run(List.of(py.toString(), "-c", "import pytest")) != 0) {
            if (run(List.of("python3", "-m", "venv", venv.toString())) != 0
                    || run(List.of(py.toString(), "-m", "pip", "install", "-q", "pytest")) != 0) {
                throw new IllegalStateException("no Python with pytest, and pytest could not be installed into " + venv);
            }
        }
        return py.toString();
    }

    static int run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
