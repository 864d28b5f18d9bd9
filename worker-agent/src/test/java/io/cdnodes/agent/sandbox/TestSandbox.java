package io.cdnodes.agent.sandbox;

import io.cdnodes.agent.run.PythonProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The real sandbox of this machine, probed once per test JVM as a worker probes it at start (bubblewrap is a
 * prerequisite of the build, like Python: {@code .ci/run} installs it). Tests that use it fail, saying why, on a
 * machine that cannot sandbox.
 */
public final class TestSandbox {

    private static SandboxProbe.Chosen chosen;
    private static PythonProbe.Found found;

    private TestSandbox() {
    }

    /** The sandbox, with the default limits. */
    public static synchronized Sandbox sandbox() {
        probe();
        return chosen.sandbox();
    }

    /** The interpreter itself ({@code sys.executable} of {@code python3}), which sandboxed runs start. */
    public static synchronized String python() {
        probe();
        return found.install().executable().toString();
    }

    /** What {@code python3} is and where it lives. */
    public static synchronized PythonProbe.Found found() {
        probe();
        return found;
    }

    private static void probe() {
        if (chosen != null) {
            return;
        }
        try {
            found = PythonProbe.find("python3");
            Path work = Files.createTempDirectory("cdnodes-sandbox-probe");
            chosen = SandboxProbe.choose(found.install(), work, SandboxLimits.defaults(), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SandboxProbe.Unavailable e) {
            throw new AssertionError("this machine cannot sandbox, and the build needs it (apt-get install "
                    + "bubblewrap): " + e.getMessage(), e);
        }
    }
}
