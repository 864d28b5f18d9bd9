package io.cdnodes.agent.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cdnodes.agent.deps.TestVenvs;
import io.cdnodes.agent.sandbox.TestSandbox;
import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.AssignmentKind;
import io.cdnodes.protocol.frame.Outcome;
import io.cdnodes.protocol.frame.TestResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real bubblewrap, real pytest: a project whose tests try to get out of their sandbox, whose every test must pass
 * (each escape fails inside) and whose containment is checked from outside too; the same project unsandboxed
 * shows that the tests can fail. Outcomes of an ordinary project and of one with declared dependencies stay
 * pytest's, and the process tree (a daemon a test started included) ends with the run, its time limit or cancel.
 */
class SandboxedRunTest {

    /** Each test tries one way out; inside the sandbox every one of them must fail, so every test passes. */
    private static final String ESCAPES = """
            import os, pathlib, resource, socket, subprocess, sys, time

            def test_nothing_outside_the_run_folder_is_writable():
                run = pathlib.Path.cwd().parent
                for folder in [*run.parents, pathlib.Path(os.environ["PLUGIN_DIR"]), pathlib.Path(os.environ["WORK_DIR"])]:
                    if folder == pathlib.Path("/tmp"):
                        continue  # the sandbox's own
                    try:
                        (folder / "escaped.txt").write_text("out")
                    except OSError:
                        continue
                    raise AssertionError("wrote into " + str(folder))

            def test_the_plugin_cannot_be_changed():
                plugin = pathlib.Path(os.environ["PLUGIN_DIR"]) / "cdnodes_pytest_plugin.py"
                assert plugin.exists()
                try:
                    with open(plugin, "a") as f:
                        f.write("# forged")
                except OSError:
                    return
                raise AssertionError("appended to the plugin")

            def test_other_runs_and_the_agents_files_are_absent():
                assert not os.path.exists(os.environ["OTHER_RUN"])
                assert not os.path.exists(os.path.join(os.environ["WORK_DIR"], "packages"))
                run = pathlib.Path.cwd().parent
                assert os.listdir(run.parent) == [run.name]

            def test_no_process_shows_the_worker_token():
                for pid in os.listdir("/proc"):
                    if pid.isdigit():
                        try:
                            environ = open("/proc/%s/environ" % pid, "rb").read()
                        except OSError:
                            continue
                        assert b"CDNODES_WORKER_TOKEN" not in environ, pid

            def test_no_network_but_its_own_loopback():
                try:
                    socket.create_connection(("127.0.0.1", int(os.environ["AGENT_PORT"])), timeout=2).close()
                except OSError:
                    pass
                else:
                    raise AssertionError("reached the agent's port")
                assert [n for _, n in socket.if_nameindex()] == ["lo"]

            def test_fresh_home_and_tmp():
                assert os.environ["HOME"] == "/home/sandbox" and os.listdir("/home/sandbox") == []
                pathlib.Path("/tmp/mine").write_text("scratch")
                assert sorted(os.listdir("/tmp")) in (["mine"], ["mine", "pytest-of-" + __import__("getpass").getuser()])

            def test_limits_hold():
                assert resource.getrlimit(resource.RLIMIT_NOFILE) == (4096, 4096)
                assert resource.getrlimit(resource.RLIMIT_AS)[1] == 4096 * 1024 * 1024
                assert resource.getrlimit(resource.RLIMIT_NPROC)[1] == 4096
                assert os.getuid() != 0 or os.environ.get("EXPECT_ROOT") == "1"

            def test_a_daemon_is_started():
                # double fork and setsid: the daemon leaves its parent and its session, and sleeps on
                subprocess.Popen([sys.executable, "-c", "import os, time\\nif os.fork() == 0:\\n    os.setsid()\\n"
                                  "    time.sleep(300)", os.environ["MARKER"]], start_new_session=True).wait()
            """;

    /** Not under /tmp, as a worker's folder is not: the sandbox's own /tmp would hold the way to it. */
    private Path tmp;
    private ServerSocket agentPort;
    private final String marker = "cdnodes-daemon-" + UUID.randomUUID();

    @BeforeEach
    void listen() throws IOException {
        tmp = Files.createTempDirectory(Files.createDirectories(Path.of("target", "sandboxed-runs")).toAbsolutePath(),
                "t");
        agentPort = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void cleanUp() throws IOException {
        io.cdnodes.agent.packages.Folders.deleteQuietly(tmp);
        agentPort.close();
        // the unsandboxed control run leaves its daemon behind: end it here
        daemons().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void everyEscapeFailsInsideAndNothingChangedOutside() throws Exception {
        RunFixture fx = escapes().sandboxed();
        byte[] plugin = Files.readAllBytes(fx.settings.pluginDir().resolve("cdnodes_pytest_plugin.py"));

        int exit = fx.run(RunFixture.run(1, ids(fx), List.of(), env(fx), 120)).execute();

        assertThat(fx.results()).allSatisfy(r -> assertThat(r.outcome()).as(r.nodeId() + ": " + r.message())
                .isEqualTo(Outcome.PASSED));
        assertThat(fx.results()).hasSize(8);
        assertThat(exit).isZero();
        // and from outside
        assertThat(Files.readAllBytes(fx.settings.pluginDir().resolve("cdnodes_pytest_plugin.py"))).isEqualTo(plugin);
        try (var written = Files.walk(tmp)) {
            assertThat(written.filter(p -> p.getFileName().toString().equals("escaped.txt"))).isEmpty();
        }
        for (Path above = tmp; above != null; above = above.getParent()) {
            assertThat(above.resolve("escaped.txt")).doesNotExist();
        }
        await("the daemon ended with the sandbox").atMost(Duration.ofSeconds(10)).until(() -> daemons().isEmpty());
        assertThat(RunFixture.noChildProcesses()).isTrue();
    }

    @Test
    void unsandboxedTheSameTestsFailSoTheyCanTellAnEscape() throws Exception {
        RunFixture fx = escapes();
        Map<String, String> env = env(fx);
        env.put("EXPECT_ROOT", "1");

        fx.run(RunFixture.run(2, ids(fx), List.of(), env, 120)).execute();

        Map<String, Outcome> outcomes = fx.results().stream()
                .collect(Collectors.toMap(r -> r.nodeId().replaceFirst(".*::", ""), TestResult::outcome));
        assertThat(outcomes).containsEntry("test_the_plugin_cannot_be_changed", Outcome.FAILED)
                .containsEntry("test_nothing_outside_the_run_folder_is_writable", Outcome.FAILED)
                .containsEntry("test_no_process_shows_the_worker_token", Outcome.FAILED)
                .containsEntry("test_other_runs_and_the_agents_files_are_absent", Outcome.FAILED);
        await().atMost(Duration.ofSeconds(10)).until(() -> !daemons().isEmpty());
    }

    @Test
    void theTimeLimitEndsTheWholeTreeDaemonsIncluded() throws Exception {
        RunFixture fx = new RunFixture(tmp).sandboxed().file("test_hang.py", """
                import os, subprocess, sys, time

                def test_hangs_after_starting_a_daemon():
                    subprocess.Popen([sys.executable, "-c", "import os, time\\nif os.fork() == 0:\\n    os.setsid()\\n"
                                      "    time.sleep(300)", os.environ["MARKER"]], start_new_session=True).wait()
                    time.sleep(300)
                """);

        int exit = fx.run(RunFixture.run(3, List.of("test_hang.py::test_hangs_after_starting_a_daemon"), List.of(),
                Map.of("MARKER", marker), 3)).execute();

        assertThat(exit).isEqualTo(AssignmentDone.EXIT_TIMEOUT);
        await("the daemon ended with the sandbox").atMost(Duration.ofSeconds(10)).until(() -> daemons().isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(RunFixture::noChildProcesses);
    }

    @Test
    void aBatchsDaemonEndsWithTheBatchWhileWhatCollectionStartedServesTheNextBatches() throws Exception {
        RunFixture fx = new RunFixture(tmp).sandboxed().file("conftest.py", """
                import os, subprocess, sys
                # started while collecting, used by every batch: a pytest run keeps it to its end
                SERVER = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", os.environ["MARKER"] + "-server"])
                """).file("test_daemon.py", """
                import os, subprocess, sys
                import conftest

                def test_leaves_a_daemon():
                    assert conftest.SERVER.poll() is None
                    subprocess.Popen([sys.executable, "-c", "import os, time\\nif os.fork() == 0:\\n    os.setsid()\\n"
                                      "    time.sleep(300)", os.environ["MARKER"] + "-daemon"], start_new_session=True).wait()
                """);
        PytestSessions sessions = new PytestSessions(1, Duration.ofSeconds(30));
        try {
            for (long id = 9; id <= 10; id++) {
                fx.frames.clear();
                assertThat(fx.run(RunFixture.run(id, List.of("test_daemon.py::test_leaves_a_daemon"), List.of(),
                        Map.of("MARKER", marker), 120), sessions).execute()).isZero();
                assertThat(fx.results()).extracting(TestResult::outcome).containsExactly(Outcome.PASSED);
                await("the batch's daemon ended").atMost(Duration.ofSeconds(10))
                        .until(() -> daemons().stream().noneMatch(d -> commandLine(d).contains(marker + "-daemon")));
                assertThat(sessions.size()).as("the session lives on").isEqualTo(1);
                assertThat(daemons()).as("the conftest's server too").anyMatch(d -> commandLine(d).contains("-server"));
            }
        } finally {
            sessions.shutdown();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> daemons().isEmpty());
    }

    private static String commandLine(ProcessHandle p) {
        return p.info().commandLine().orElse("");
    }

    @Test
    void outcomesAndASessionsBatchesAreWhatPytestGives() throws Exception {
        RunFixture fx = new RunFixture(tmp).sandboxed().file("tests/test_mixed.py", """
                import pytest

                def test_pass(tmp_path):
                    (tmp_path / "f").write_text("x")

                def test_fail():
                    assert 1 == 2

                @pytest.mark.xfail
                def test_xfail():
                    assert False

                @pytest.fixture
                def broken():
                    raise RuntimeError("setup")

                def test_error(broken):
                    pass
                """);
        List<String> ids = List.of("tests/test_mixed.py::test_pass", "tests/test_mixed.py::test_fail",
                "tests/test_mixed.py::test_xfail", "tests/test_mixed.py::test_error");
        PytestSessions sessions = new PytestSessions(1, Duration.ofSeconds(30));
        try {
            for (long id = 4; id <= 5; id++) {
                fx.frames.clear();
                assertThat(fx.run(RunFixture.run(id, ids, List.of(), Map.of(), 120), sessions).execute()).isEqualTo(1);
                assertThat(fx.results()).extracting(TestResult::outcome)
                        .containsExactly(Outcome.PASSED, Outcome.FAILED, Outcome.XFAILED, Outcome.ERROR);
            }
        } finally {
            sessions.shutdown();
        }
    }

    @Test
    void declaredDependenciesInstallInTheirSandboxAndTestsRunWithThem() throws Exception {
        RunFixture base = new RunFixture(tmp).sandboxed();
        RunSettings s = base.settings;
        RunFixture fx = new RunFixture(base.project, base.runs, new RunSettings(s.python(), s.pluginDir(),
                s.runsDir(), s.maxOutputBytes(), s.maxMessageChars(), TestVenvs.root().resolve("sandboxed"),
                s.sessionIdle(), s.sandbox()))
                .file("requirements-test.txt", TestVenvs.REQUIREMENT + "\n")
                .file("tests/test_table.py", """
                        import sys, tabulate

                        def test_table():
                            assert tabulate.tabulate([[1, 2]], tablefmt="plain") == "1  2"
                            assert sys.prefix != sys.base_prefix
                        """);
        Assign run = new Assign(6, 1, 10, 20, RunFixture.PKG, AssignmentKind.RUN, List.of(), Map.of(),
                List.of("tests/test_table.py::test_table"), 300, Map.of(Assign.INSTALL_DEPS, "true"));

        int exit = fx.run(run).execute();

        assertThat(fx.results()).as(fx.done().detail()).extracting(TestResult::outcome, TestResult::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Outcome.PASSED, ""));
        assertThat(exit).isZero();
    }

    @Test
    void theNetworkDirectiveGivesTheTestsTheHostsNetwork() throws Exception {
        RunFixture fx = new RunFixture(tmp).sandboxed().file("test_net.py", """
                import os, socket

                def test_reaches_a_port_of_the_host():
                    socket.create_connection(("127.0.0.1", int(os.environ["AGENT_PORT"])), timeout=5).close()
                """);
        Map<String, String> env = Map.of("AGENT_PORT", Integer.toString(agentPort.getLocalPort()));
        List<String> ids = List.of("test_net.py::test_reaches_a_port_of_the_host");

        fx.run(new Assign(7, 1, 10, 20, RunFixture.PKG, AssignmentKind.RUN, List.of(), env, ids, 120,
                Map.of(Assign.NETWORK, "true"))).execute();
        fx.run(new Assign(8, 1, 10, 20, RunFixture.PKG, AssignmentKind.RUN, List.of(), env, ids, 120)).execute();

        assertThat(fx.results()).extracting(TestResult::assignmentId, TestResult::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(7L, Outcome.PASSED),
                        org.assertj.core.groups.Tuple.tuple(8L, Outcome.FAILED));
    }

    private RunFixture escapes() throws IOException {
        Files.createDirectories(tmp.resolve("runs/a99-1/project"));
        Files.writeString(tmp.resolve("runs/a99-1/project/secret.txt"), "another project's file");
        Files.createDirectories(tmp.resolve("packages"));
        return new RunFixture(tmp).file("tests/test_escapes.py", ESCAPES);
    }

    private static List<String> ids(RunFixture fx) throws IOException {
        return List.of("test_nothing_outside_the_run_folder_is_writable", "test_the_plugin_cannot_be_changed",
                "test_other_runs_and_the_agents_files_are_absent", "test_no_process_shows_the_worker_token",
                "test_no_network_but_its_own_loopback", "test_fresh_home_and_tmp", "test_limits_hold",
                "test_a_daemon_is_started").stream().map(t -> "tests/test_escapes.py::" + t).toList();
    }

    private Map<String, String> env(RunFixture fx) {
        Map<String, String> env = new HashMap<>();
        env.put("PLUGIN_DIR", fx.settings.pluginDir().toString());
        env.put("WORK_DIR", tmp.toString());
        env.put("OTHER_RUN", tmp.resolve("runs/a99-1/project").toString());
        env.put("AGENT_PORT", Integer.toString(agentPort.getLocalPort()));
        env.put("MARKER", marker);
        return env;
    }

    /** Processes anywhere on this machine whose command line carries this test's marker. */
    private List<ProcessHandle> daemons() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false)).toList();
    }

    static {
        // the probe runs once, before any test of this class is timed
        TestSandbox.sandbox();
    }
}
