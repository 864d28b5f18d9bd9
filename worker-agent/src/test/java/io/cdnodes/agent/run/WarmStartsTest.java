package io.cdnodes.agent.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cdnodes.agent.packages.Folders;
import io.cdnodes.agent.sandbox.Sandbox;
import io.cdnodes.agent.sandbox.SandboxSpec;
import io.cdnodes.agent.sandbox.TestSandbox;
import io.cdnodes.protocol.frame.Outcome;
import io.cdnodes.protocol.frame.TestResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Warm starts against cold ones, with real interpreters: what a test can see of how its pytest was started must
 * be the same, and whatever could make it differ starts cold. The comparisons run unsandboxed and in the real
 * sandbox, where the interpreter started ahead waits in the sandbox its session gets.
 */
class WarmStartsTest {

    /** Everything a test can read about how its interpreter and pytest were started. */
    private static final String INTROSPECTION = """
            import atexit, os, sys, __main__

            def test_how_it_was_started():
                print("path", sys.path)
                print("argv", sys.argv)
                print("orig_argv", sys.orig_argv)
                print("main", __main__.__file__, __main__.__name__, __main__.__spec__.name,
                      type(__main__.__builtins__).__name__, sorted(vars(__main__)))
                print("cwd", os.getcwd())
                print("env", sorted((k, v) for k, v in os.environ.items() if k.startswith(("CDNODES_", "GREETING"))))
                print("stdin", repr(sys.__stdin__.read()) if sys.__stdin__ else None)
                print("flags", sys.flags)
                print("modules", sorted(m for m in sys.modules if not m.startswith("test_intro")))
                try:
                    import libhelper
                    print("libhelper", libhelper.__file__)
                except ImportError:
                    print("no libhelper")
                atexit.register(lambda: print("at exit", sys.argv[0], getattr(__main__, "__file__", None)))
            """;

    @TempDir
    Path tmp;

    private static final SandboxSpec.Shape SHAPE = new SandboxSpec.Shape(List.of(), false);

    private ScheduledExecutorService timer;
    private final AtomicLong ids = new AtomicLong();
    private final List<Process> started = new ArrayList<>();
    private Path runs;
    private Sandbox sandbox = Sandbox.off("unsandboxed comparison");
    private String python = "python3";

    private void sandboxed(boolean on) {
        if (on) {
            sandbox = TestSandbox.sandbox();
            python = TestSandbox.python();
        }
    }

    @BeforeEach
    void timer() throws IOException {
        timer = Executors.newSingleThreadScheduledExecutor();
        runs = Files.createDirectories(tmp.resolve("runs"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        timer.shutdownNow();
        started.forEach(Process::destroyForcibly);
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "sandboxed: {0}")
    @ValueSource(booleans = {false, true})
    void aWarmStartRunsPytestAsAColdStartWould(boolean inSandbox) throws Exception {
        sandboxed(inSandbox);
        using(warmStarts(Duration.ofMinutes(1)), warm -> {
            // a relative PYTHONPATH: resolved against the folder the interpreter started in, the project's in both
            Map<String, String> env = Map.of("GREETING", "hello wörld", "PYTHONPATH", "lib");
            WarmStarts.Started cold = launch(warm, env, Map.of());
            assertThat(cold.warm()).as("nothing was ready").isFalse();
            String coldOutput = output(cold.process());
            awaitReady(warm, env);

            WarmStarts.Started second = launch(warm, env, Map.of());
            assertThat(second.warm()).isTrue();
            String warmOutput = output(second.process());

            assertThat(coldOutput).contains("1 passed").contains("('GREETING', 'hello wörld')")
                    .contains("('CDNODES_MODE', 'serve')").containsPattern("libhelper /\\S+/project/lib/libhelper.py")
                    .contains("at exit /");
            assertThat(normalized(warmOutput)).isEqualTo(normalized(coldOutput));
            assertThat(second.process().exitValue()).isEqualTo(cold.process().exitValue()).isZero();
        });
    }

    @Test
    void aWarmStartInTheSandboxKeepsItsSharedMemory() throws Exception {
        // the interpreter started ahead mounts the run's scratch shm as /dev/shm: copying the project keeps it
        sandboxed(true);
        using(warmStarts(Duration.ofMinutes(1)), warm -> {
            // in place of the introspection: the test that runs
            Map<String, String> locks = Map.of("test_intro.py",
                    "import multiprocessing as mp\n\ndef test_lock():\n    mp.Lock()\n");
            String cold = output(launch(warm, Map.of(), locks).process());
            assertThat(cold).as(cold).contains("1 passed");
            awaitReady(warm, Map.of());

            WarmStarts.Started second = launch(warm, Map.of(), locks);

            assertThat(second.warm()).isTrue();
            String warmOutput = output(second.process());
            assertThat(warmOutput).as(warmOutput).contains("1 passed");
        });
    }

    @Test
    void aProjectThatWouldShadowAModuleTheInterpreterImportedStartsCold() throws Exception {
        using(warmStarts(Duration.ofMinutes(1)), warm -> {
            output(launch(warm, Map.of(), Map.of()).process());
            awaitReady(warm, Map.of());
            Process ready = warm.waiting().get(0);

            WarmStarts.Started run = launch(warm, Map.of(), Map.of("json.py",
                    "raise ImportError('the project shadows json')\n"));
            assertThat(run.warm()).isFalse();
            // as `python -m pytest` there: the project's json.py is what gets imported
            assertThat(output(run.process())).contains("the project shadows json");
            assertThat(ready.waitFor(10, TimeUnit.SECONDS)).as("the claimed interpreter is ended").isTrue();
        });
    }

    @Test
    void anotherEnvironmentOrAnInstallSinceStartsCold() throws Exception {
        Path site = Files.createDirectories(tmp.resolve("site"));
        Map<String, String> env = Map.of("PYTHONPATH", site.toString());
        using(warmStarts(2, Duration.ZERO, Duration.ofMinutes(1)), warm -> {
            output(launch(warm, env, Map.of()).process());
            awaitReady(warm, env);

            WarmStarts.Started other = launch(warm, Map.of("GREETING", "two"), Map.of());
            assertThat(other.warm()).isFalse();
            assertThat(output(other.process())).contains("('GREETING', 'two')");

            // a package installed into a sys.path folder after the interpreter imported what it imports
            assertThat(warm.readyFor(pytest(runs, env), SHAPE)).as("still waiting").isTrue();
            Files.writeString(site.resolve("newly_installed.py"), "");
            WarmStarts.Started after = launch(warm, env, Map.of());
            assertThat(after.warm()).isFalse();
            assertThat(output(after.process())).contains("1 passed");
        });
    }

    @Test
    void aProjectFolderOnPythonPathThatWouldShadowAnImportedModuleStartsCold() throws Exception {
        // empty while the interpreter started and imported pytest (and pluggy): a cold start imports the project's
        Map<String, String> env = Map.of("PYTHONPATH", "src");
        using(warmStarts(Duration.ofMinutes(1)), warm -> {
            output(launch(warm, env, Map.of()).process());
            awaitReady(warm, env);

            WarmStarts.Started run = launch(warm, env, Map.of("src/pluggy/__init__.py",
                    "raise ImportError('the project has its own pluggy')\n"));
            assertThat(run.warm()).isFalse();
            assertThat(output(run.process())).contains("the project has its own pluggy");
        });
    }

    @Test
    void sessionAfterSessionStartsWarmOnOneSlot() throws Exception {
        using(warmStarts(Duration.ofMinutes(1)), warm -> {
            output(launch(warm, Map.of(), Map.of()).process());
            for (int i = 0; i < 2; i++) {
                awaitReady(warm, Map.of());
                WarmStarts.Started run = launch(warm, Map.of(), Map.of());
                assertThat(run.warm()).as("start %d", i + 2).isTrue();
                assertThat(output(run.process())).contains("1 passed");
            }
        });
    }

    @Test
    void theNextInterpreterStartsOnceTheSessionsStartUpsAreOverNotOnlyAfterTheDelay() throws Exception {
        using(warmStarts(1, Duration.ofMinutes(10), Duration.ofMinutes(1)), warm -> {
            Runnable first = warm.sessionStarting();
            Runnable second = warm.sessionStarting();
            output(launch(warm, Map.of(), Map.of()).process());

            first.run();
            first.run();
            Thread.sleep(1000);
            assertThat(warm.waiting()).as("due in ten minutes, and another session is still starting").isEmpty();

            second.run();

            awaitReady(warm, Map.of());
            WarmStarts.Started run = launch(warm, Map.of(), Map.of());
            assertThat(run.warm()).isTrue();
            assertThat(output(run.process())).contains("1 passed");
        });
    }

    @Test
    void interpretersPreparedAheadServeTheFirstStarts() throws Exception {
        using(warmStarts(2, Duration.ofMinutes(10), Duration.ofMinutes(1)), warm -> {
            warm.prepareAhead(pytest(runs, Map.of()), SHAPE, sandbox, runs);

            await().atMost(Duration.ofSeconds(30)).until(() -> warm.readyCount() == 2);
            for (int i = 0; i < 2; i++) {
                WarmStarts.Started run = launch(warm, Map.of(), Map.of());
                assertThat(run.warm()).as("start %d", i + 1).isTrue();
                assertThat(output(run.process())).contains("1 passed");
            }
            WarmStarts.Started other = launch(warm, Map.of("OTHER", "1"), Map.of());
            assertThat(other.warm()).as("another environment").isFalse();
            output(other.process());
        });
    }

    @Test
    void aDrainEndsTheWaitingAndThoseAboutToStart() throws Exception {
        using(warmStarts(1, Duration.ofMillis(600), Duration.ofMinutes(1)), warm -> {
            output(launch(warm, Map.of(), Map.of()).process());
            warm.endWaiting();
            Thread.sleep(1500);
            assertThat(warm.waiting()).as("the start scheduled before the drain was not made").isEmpty();
            // and after it, they are prepared again
            output(launch(warm, Map.of(), Map.of()).process());
            await().atMost(Duration.ofSeconds(30)).until(() -> warm.readyFor(pytest(runs, Map.of()), SHAPE));
        });
    }

    @Test
    void interpretersThatWaitedTooLongAreEndedAndShutdownEndsTheRest() throws Exception {
        using(warmStarts(Duration.ofSeconds(3)), warm -> {
            Process first = launch(warm, Map.of(), Map.of()).process();
            java.util.concurrent.atomic.AtomicReference<Process> seen = new java.util.concurrent.atomic.AtomicReference<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                List<Process> now = warm.waiting();
                now.stream().findFirst().ifPresent(seen::set);
                return seen.get() != null;
            });
            Process waiting = seen.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> warm.waiting().isEmpty());
            assertThat(waiting.waitFor(10, TimeUnit.SECONDS)).isTrue();
            output(first);
            Process second = launch(warm, Map.of(), Map.of()).process();
            // looked for before the second pytest ends: on a busy machine it may take longer than the 3 s one waits
            await().atMost(Duration.ofSeconds(30)).until(() -> warm.waiting().size() == 1);
            output(second);
        });
    }

    @Test
    void aWorkerThatJustConnectedStartsItsFirstSessionWarm() throws Exception {
        // the delay after a session start is long: only the start ahead at connection can serve the first session
        PytestSessions sessions = new PytestSessions(1, Duration.ofSeconds(30), Duration.ofMinutes(10));
        try {
            RunFixture fx = new RunFixture(tmp.resolve("connected"));
            fx.file("tests/test_a.py", "def test_pass():\n    pass\n");

            sessions.warmUp(fx.settings);

            await().atMost(Duration.ofSeconds(30)).until(() -> sessions.warmStarts().readyCount() == 1);
            PytestRun run = fx.run(RunFixture.run(1, List.of("tests/test_a.py::test_pass"), List.of(), Map.of(), 120),
                    sessions);
            assertThat(run.execute()).isZero();
            assertThat(run.times().summary()).contains("warm start");
            assertThat(fx.results()).extracting(TestResult::outcome).containsExactly(Outcome.PASSED);
        } finally {
            sessions.shutdown();
        }
        await().atMost(Duration.ofSeconds(10)).until(RunFixture::noChildProcesses);
    }

    @ParameterizedTest(name = "sandboxed: {0}")
    @ValueSource(booleans = {false, true})
    void aSessionStartedWarmServesItsBatchesAsACold(boolean inSandbox) throws Exception {
        PytestSessions sessions = new PytestSessions(1, Duration.ofSeconds(30), Duration.ZERO);
        try {
            RunFixture fx = new RunFixture(tmp.resolve("served"));
            if (inSandbox) {
                fx = fx.sandboxed();
            }
            fx.file("tests/test_a.py", """
                    import pytest

                    def test_pass():
                        pass

                    def test_fail():
                        assert 1 == 2

                    @pytest.mark.skip(reason="not today")
                    def test_skip():
                        pass
                    """);
            List<String> ids = List.of("tests/test_a.py::test_pass", "tests/test_a.py::test_fail",
                    "tests/test_a.py::test_skip");
            assertThat(fx.run(RunFixture.run(1, ids, List.of(), Map.of(), 120), sessions).execute()).isEqualTo(1);
            List<TestResult> cold = List.copyOf(fx.results());
            await().atMost(Duration.ofSeconds(30)).until(() -> sessions.warmStarts().readyCount() == 1);
            Process ready = sessions.warmStarts().waiting().get(0);
            fx.frames.clear();

            // other arguments: another session, which takes the interpreter started ahead
            assertThat(fx.run(RunFixture.run(2, ids, List.of("-p", "no:cacheprovider"), Map.of(), 120), sessions)
                    .execute()).isEqualTo(1);

            assertThat(ready.isAlive()).as("now the second session's pytest").isTrue();
            assertThat(sessions.warmStarts().waiting()).doesNotContain(ready);
            assertThat(fx.results()).extracting(TestResult::nodeId, TestResult::outcome)
                    .containsExactly(cold.stream().map(r -> org.assertj.core.groups.Tuple.tuple(r.nodeId(), r.outcome()))
                            .toArray(org.assertj.core.groups.Tuple[]::new));
            assertThat(fx.results()).extracting(TestResult::outcome)
                    .containsExactly(Outcome.PASSED, Outcome.FAILED, Outcome.SKIPPED);
        } finally {
            sessions.shutdown();
        }
        await().atMost(Duration.ofSeconds(10)).until(RunFixture::noChildProcesses);
    }

    /** What a test does with its warm starts. */
    @FunctionalInterface
    private interface WarmTest {
        void run(WarmStarts warm) throws Exception;
    }

    /** Runs {@code test}, shuts {@code warm} down, and checks that it left no process and no folder. */
    private void using(WarmStarts warm, WarmTest test) throws Exception {
        try {
            test.run(warm);
        } finally {
            warm.shutdown();
        }
        assertNothingLeft();
    }

    private WarmStarts warmStarts(Duration maxAge) {
        return warmStarts(1, Duration.ZERO, maxAge);
    }

    private WarmStarts warmStarts(int capacity, Duration delay, Duration maxAge) {
        return new WarmStarts(capacity, delay, maxAge, timer, ids::incrementAndGet);
    }

    /**
     * As {@link ServedRun} does: claims an interpreter, copies the project into its folder (or a new one), builds
     * the command, starts.
     */
    private WarmStarts.Started launch(WarmStarts warm, Map<String, String> env, Map<String, String> extra)
            throws IOException {
        WarmInterpreter claim = warm.claim(pytest(runs, env), SHAPE, sandbox, runs);
        long id = claim != null ? claim.id() : ids.incrementAndGet();
        Path dir = runs.resolve("s" + id);
        // as PytestLaunch.copyProject: a sandbox started ahead mounts this folder and its scratch folders
        PytestLaunch.clearButScratch(dir);
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.writeString(project.resolve("test_intro.py"), INTROSPECTION);
        Files.createDirectories(project.resolve("lib"));
        Files.writeString(project.resolve("lib/libhelper.py"), "");
        for (Map.Entry<String, String> e : extra.entrySet()) {
            Files.createDirectories(project.resolve(e.getKey()).getParent());
            Files.writeString(project.resolve(e.getKey()), e.getValue());
        }
        WarmStarts.Started s = warm.start(pytest(project, env), SandboxSpec.forRun(dir, SHAPE), sandbox, claim);
        started.add(s.process());
        return s;
    }

    /** As the agent builds it: python -m pytest ARGS in the project, with plugin variables. */
    private ProcessBuilder pytest(Path project, Map<String, String> user) {
        ProcessBuilder pb = new ProcessBuilder(python, "-m", "pytest", "-s", "-q", "-p", "no:cacheprovider",
                "test_intro.py").directory(project.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("CDNODES_"));
        pb.environment().putAll(new HashMap<>(user));
        pb.environment().put("CDNODES_MODE", "serve");
        pb.environment().put("CDNODES_REPORT", project.resolve("report.jsonl").toString());
        return pb;
    }

    private static String output(Process p) throws Exception {
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private void awaitReady(WarmStarts warm, Map<String, String> env) {
        await().atMost(Duration.ofSeconds(30)).until(() -> warm.readyFor(pytest(runs, env), SHAPE));
    }

    private void assertNothingLeft() throws IOException {
        started.forEach(p -> {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(RunFixture::noChildProcesses);
        // the folders of interpreters nobody claimed are deleted once they are gone: only the launched projects stay
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (var left = Files.list(runs)) {
                return left.allMatch(d -> Files.exists(d.resolve("project/test_intro.py")));
            }
        });
    }

    /** Without the durations pytest prints and the session folder's number. */
    private static String normalized(String output) {
        return output.replaceAll("in [0-9.]+s", "in Ns").replaceAll("/s[0-9]+/", "/sN/");
    }
}
