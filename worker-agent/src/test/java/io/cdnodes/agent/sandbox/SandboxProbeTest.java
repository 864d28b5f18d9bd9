package io.cdnodes.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's layout as a sandbox shows it, read from a made-up root; and the real probe on this machine. */
class SandboxProbeTest {

    @TempDir
    Path root;

    @Test
    void systemFoldersAreBoundAndLinksKeptAndOnlyWhatTheyDoNotCoverIsAdded() throws Exception {
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
        Files.createDirectories(root.resolve("opt/py/lib"));
        Files.createDirectories(root.resolve("srv/tools"));
        Files.createSymbolicLink(root.resolve("etc/resolv.conf"), Path.of("../run/resolve/stub.conf"));
        Files.createDirectories(root.resolve("run/resolve"));
        Files.writeString(root.resolve("run/resolve/stub.conf"), "nameserver 127.0.0.53\n");
        PythonInstall python = new PythonInstall(Path.of("/opt/py/bin/python3"), List.of(Path.of("/opt/py"),
                Path.of("/opt/py/lib"), Path.of("/usr/lib/python3/dist-packages"), Path.of("/opt/absent")));

        Bubblewrap.Layout layout = SandboxProbe.layout(root, Path.of("/usr/bin/bwrap"), Path.of("/usr/bin/prlimit"),
                null, python, List.of(Path.of("/srv/tools")), null);

        assertThat(layout.systemDirs()).containsExactly(Path.of("/usr"), Path.of("/etc"));
        assertThat(layout.systemLinks()).isEqualTo(Map.of(Path.of("/lib"), "usr/lib"));
        assertThat(layout.readOnly()).as("the Python's own folder, what was added, where resolv.conf points")
                .containsExactly(Path.of("/opt/py"), Path.of("/srv/tools"), Path.of("/run/resolve/stub.conf"));
    }

    @Test
    void thisMachineSandboxesARealCommand() {
        // the probe ran a sandboxed interpreter that saw its own PID namespace, no network and none of the work folder
        Sandbox sandbox = TestSandbox.sandbox();

        assertThat(sandbox.enabled()).isTrue();
        assertThat(sandbox.description()).contains("bubblewrap");
        assertThat(SandboxProbe.onPath("bwrap", Map.of("PATH", "/nowhere"))).isEmpty();
    }
}
