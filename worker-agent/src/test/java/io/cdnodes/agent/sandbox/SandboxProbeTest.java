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

    private static final SandboxProbe.Tools TOOLS = new SandboxProbe.Tools(Path.of("/usr/bin/bwrap"),
            Path.of("/usr/bin/prlimit"), Path.of("/usr/bin/env"), null);

    @TempDir
    Path root;

    @Test
    void aFolderHoldingTheWorkFolderIsNeverShown() throws Exception {
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createDirectories(root.resolve("home/ops/work"));
        Files.createDirectories(root.resolve("home/ops/lib"));
        // sys.path with the operator's home on it (PYTHONPATH=~), and a folder added above the work folder
        PythonInstall python = new PythonInstall(Path.of("/usr/bin/python3"), List.of(Path.of("/home/ops"),
                Path.of("/home/ops/lib")));

        Bubblewrap.Layout layout = SandboxProbe.layout(root, TOOLS, python, List.of(Path.of("/home")), null,
                Path.of("/home/ops/work"));

        assertThat(layout.readOnly()).as("only what holds no part of the work folder")
                .containsExactly(Path.of("/home/ops/lib"));
    }

    @Test
    void aWorkFolderInsideASystemFolderIsRefused() throws Exception {
        Files.createDirectories(root.resolve("usr/local/cdnodes"));
        PythonInstall python = new PythonInstall(Path.of("/usr/bin/python3"), List.of());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SandboxProbe.layout(root, TOOLS, python, List.of(),
                null, Path.of("/usr/local/cdnodes"))).isInstanceOf(SandboxProbe.Unavailable.class)
                .hasMessageContaining("/usr/local/cdnodes").hasMessageContaining("inside /usr");
    }

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

        Bubblewrap.Layout layout = SandboxProbe.layout(root, TOOLS, python, List.of(Path.of("/srv/tools")), null,
                Path.of("/srv/worker"));

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

    @Test
    void aPreloadFromTheProjectReachesOnlyTheSandboxedCommand() throws Exception {
        // a library that cannot be loaded makes the loader say so once per program it was given to: were bubblewrap,
        // setpriv or prlimit given it, it would run in them (bubblewrap is outside every namespace)
        Sandbox sandbox = TestSandbox.sandbox();
        // not under /tmp, as a worker's folder is not: the sandbox's own /tmp would hold the way to it
        Path run = Files.createTempDirectory(Files.createDirectories(Path.of("target", "sandboxed-runs"))
                .toAbsolutePath(), "preload").resolve("run");
        Files.createDirectories(run.resolve("project"));
        ProcessBuilder plain = new ProcessBuilder(TestSandbox.python(), "-c",
                "import os; print('seen', os.environ['LD_PRELOAD'])").directory(run.resolve("project").toFile())
                .redirectErrorStream(true);
        plain.environment().put("LD_PRELOAD", "/nonexistent/evil.so");

        Process p = sandbox.wrap(plain, SandboxSpec.forRun(run, new SandboxSpec.Shape(List.of(), false))).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();

        assertThat(out).contains("seen /nonexistent/evil.so");
        assertThat(out.split("evil.so", -1).length - 1).as(out)
                .isEqualTo(2); // the loader's one complaint (the command's) and the command's own line
    }

    @Test
    void multiprocessingLocksAndPoolsWorkInsideTheSandbox() throws Exception {
        // POSIX semaphores live in /dev/shm: bubblewrap's own is root's, and tests may run as another user
        Path run = Files.createTempDirectory(Files.createDirectories(Path.of("target", "sandboxed-runs"))
                .toAbsolutePath(), "shm").resolve("run");
        Files.createDirectories(run.resolve("project"));
        ProcessBuilder pb = new ProcessBuilder(TestSandbox.python(), "-c", String.join("\n",
                "import multiprocessing as mp",
                "lock = mp.Lock()",
                "with mp.Pool(2) as pool:",
                "    print('squares', sum(pool.map(abs, range(-3, 4))))"))
                .directory(run.resolve("project").toFile()).redirectErrorStream(true);

        Process p = TestSandbox.sandbox().wrap(pb, SandboxSpec.forRun(run, new SandboxSpec.Shape(List.of(), false)))
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("squares 12");
    }

    @Test
    void aLinkLeftWhereAScratchFolderGoesIsNeverBound(@TempDir Path elsewhere) throws Exception {
        Path run = Files.createTempDirectory(Files.createDirectories(Path.of("target", "sandboxed-runs"))
                .toAbsolutePath(), "link").resolve("run");
        Files.createDirectories(run);
        Files.createSymbolicLink(run.resolve("tmp"), elsewhere);

        org.assertj.core.api.Assertions.assertThatIOException().isThrownBy(() -> TestSandbox.sandbox()
                .prepare(SandboxSpec.forRun(run, new SandboxSpec.Shape(List.of(), false))))
                .withMessageContaining("refusing to bind");
    }
}
