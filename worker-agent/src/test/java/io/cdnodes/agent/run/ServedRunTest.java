package io.cdnodes.agent.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.AssignmentKind;
import io.cdnodes.protocol.frame.Collected;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Outcome;
import io.cdnodes.protocol.frame.TestResult;
import io.cdnodes.protocol.frame.TestStarted;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real python3 and pytest: RUN assignments served by one pytest process that collected once, compared with
 * a fresh pytest per assignment; what ends a session (another key, idle time, cancel, time limit, drain, a
 * crash, {@code -x}) and what a project that cannot be served gets.
 */
class ServedRunTest {

    private static final String CONFTEST = """
            import os

            import pytest

            def _log(line):
                with open(os.environ["LOG"], "a") as f:
                    f.write(line + "\\n")

            def pytest_collection_finish(session):
                _log("collected %d" % len(session.items))
                if os.environ.get("SLOW_COLLECT"):
                    open(os.environ["STARTED_MARKER"], "w").close()
                    import time
                    time.sleep(60)

            @pytest.fixture(scope="session")
            def whole():
                _log("session up")
                yield
                _log("session down")

            @pytest.fixture(scope="module")
            def module():
                _log("module up")
                yield
                _log("module down")
            """;

    private static final String MIX = """
            import os, time

            import pytest

            def test_pass(whole, module):
                pass

            def test_fail(module):
                assert 1 == 2

            @pytest.fixture
            def broken():
                raise RuntimeError("boom")

            def test_error(broken):
                pass

            @pytest.mark.skip(reason="not today")
            def test_skip(whole):
                pass

            @pytest.mark.xfail(reason="known bug")
            def test_xfail(module):
                assert False

            def test_pid():
                with open(os.environ["PIDS"], "a") as f:
                    f.write("%d\\n" % os.getpid())

            def test_sleeps():
                open(os.environ["STARTED_MARKER"], "w").close()
                time.sleep(float(os.environ.get("SLEEP", "60")))

            def test_crash():
                print("CRASH OUTPUT")
                os._exit(3)

            def test_loud():
                print("FIRST BATCH OUTPUT")
            """;

    @TempDir
    Path tmp;

    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private RunFixture fx;
    private PytestSessions sessions;

    @BeforeEach
    void project() throws Exception {
        fx = new RunFixture(tmp).file("conftest.py", CONFTEST).file("tests/test_mix.py", MIX);
        // no interpreters started ahead here (WarmStartsTest): what these tests count is the sessions' processes
        sessions = new PytestSessions(1, Duration.ofSeconds(30), null);
    }

    @AfterEach
    void nothingLeftRunning() throws Exception {
        background.shutdownNow();
        assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        sessions.shutdown();
        await().atMost(Duration.ofSeconds(5)).until(RunFixture::noChildProcesses);
        try (var s = Files.list(fx.runs)) {
            assertThat(s).as("every private copy is removed").isEmpty();
        }
    }

    private static String id(String name) {
        return "tests/test_mix.py::" + name;
    }

    private static List<String> ids(String... names) {
        return java.util.Arrays.stream(names).map(ServedRunTest::id).toList();
    }

    private Map<String, String> env(String log) {
        return Map.of("LOG", tmp.resolve(log).toString(), "PIDS", tmp.resolve("pids").toString(),
                "STARTED_MARKER", tmp.resolve("started").toString());
    }

    private int served(long id, List<String> nodes, List<String> args, Map<String, String> env) throws Exception {
        return fx.run(RunFixture.run(id, nodes, args, env, 120), sessions).execute();
    }

    private List<Tuple> results(long assignment) {
        return framesOf(assignment).stream().filter(TestResult.class::isInstance).map(TestResult.class::cast)
                .map(r -> tuple(r.nodeId(), r.outcome(), r.message())).toList();
    }

    private List<Frame> framesOf(long assignment) {
        return fx.frames.stream().filter(f -> f instanceof TestResult r && r.assignmentId() == assignment
                || f instanceof TestStarted s && s.assignmentId() == assignment
                || f instanceof AssignmentDone d && d.assignmentId() == assignment).toList();
    }

    private AssignmentDone done(long assignment) {
        return framesOf(assignment).stream().filter(AssignmentDone.class::isInstance).map(AssignmentDone.class::cast)
                .findFirst().orElseThrow();
    }

    private static AssignmentDone rename(AssignmentDone d, long id) {
        return new AssignmentDone(id, d.attempt(), d.exitCode(), d.detail());
    }

    private List<String> lines(String file) throws Exception {
        Path p = tmp.resolve(file);
        return Files.exists(p) ? Files.readAllLines(p) : List.of();
    }

    @Test
    void twoBatchesOnOneSessionGiveWhatTwoFreshProcessesGiveAndCollectOnce() throws Exception {
        List<String> first = ids("test_pass", "test_fail", "test_error", "test_pid", "test_not_collected");
        List<String> second = ids("test_skip", "test_xfail", "test_pid", "test_pass");

        assertThat(served(1, first, List.of(), env("served.log"))).isEqualTo(1);
        assertThat(served(2, second, List.of(), env("served.log"))).isZero();
        assertThat(served(5, ids("test_not_collected"), List.of(), env("served.log"))).as("no tests").isEqualTo(5);
        List<String> pids = lines("pids");
        assertThat(fx.run(RunFixture.run(3, first, List.of(), env("fresh.log"), 120)).execute()).isEqualTo(1);
        assertThat(fx.run(RunFixture.run(4, second, List.of(), env("fresh.log"), 120)).execute()).isZero();

        assertThat(results(1)).isEqualTo(results(3)).containsExactly(
                tuple(id("test_pass"), Outcome.PASSED, ""),
                tuple(id("test_fail"), Outcome.FAILED, "assert 1 == 2"),
                tuple(id("test_error"), Outcome.ERROR, "RuntimeError: boom"),
                tuple(id("test_pid"), Outcome.PASSED, ""));
        // collection order, as a run-mode pytest runs them
        assertThat(results(2)).isEqualTo(results(4)).containsExactly(
                tuple(id("test_pass"), Outcome.PASSED, ""),
                tuple(id("test_skip"), Outcome.SKIPPED, "Skipped: not today"),
                tuple(id("test_xfail"), Outcome.XFAILED, "known bug"),
                tuple(id("test_pid"), Outcome.PASSED, ""));
        assertThat(done(1)).isEqualTo(new AssignmentDone(1, 1, 1, "")).isEqualTo(rename(done(3), 1));
        assertThat(done(2)).isEqualTo(new AssignmentDone(2, 1, 0, "")).isEqualTo(rename(done(4), 2));
        assertThat(framesOf(5)).containsExactly(new AssignmentDone(5, 1, 5, ""));
        assertThat(pids).hasSize(2).as("one process").containsOnly(pids.get(0));
        assertThat(lines("pids").subList(2, 4)).as("two processes").doesNotHaveDuplicates();
        // every fixture is set up again and torn down at the end of each batch, as in a process of its own
        List<String> fixtures = List.of("session up", "module up", "module down", "session down");
        assertThat(lines("served.log")).containsExactly("collected 9", fixtures.get(0), fixtures.get(1),
                fixtures.get(2), fixtures.get(3), fixtures.get(0), fixtures.get(1), fixtures.get(2), fixtures.get(3));
        assertThat(lines("fresh.log").stream().filter(l -> !l.startsWith("collected")))
                .containsExactlyElementsOf(lines("served.log").subList(1, 9));
        assertThat(sessions.size()).as("kept for the next batch").isEqualTo(1);
    }

    private static Assign collect(long id, Map<String, String> env) {
        return new Assign(id, 1, 10, 20, RunFixture.PKG, AssignmentKind.COLLECT, List.of(), env, List.of(), 120);
    }

    private List<Collected> collected(long assignment) {
        return fx.frames.stream().filter(f -> f instanceof Collected c && c.assignmentId() == assignment)
                .map(Collected.class::cast).toList();
    }

    @Test
    void aCollectIsAnsweredAsACollectOnlyPytestWouldAndItsSessionServesTheBatchesAfter() throws Exception {
        assertThat(fx.run(collect(1, env("served.log")), sessions).execute()).isZero();
        assertThat(sessions.size()).as("kept for the batches").isEqualTo(1);
        assertThat(served(2, ids("test_pid", "test_pass"), List.of(), env("served.log"))).isZero();
        assertThat(served(3, ids("test_pid"), List.of(), env("served.log"))).isZero();
        assertThat(fx.run(collect(4, env("fresh.log"))).execute()).as("a collect-only pytest").isZero();

        assertThat(collected(1)).hasSize(1);
        assertThat(collected(1).get(0).nodeIds()).isEqualTo(collected(4).get(0).nodeIds()).hasSize(9)
                .startsWith(id("test_pass"), id("test_fail"));
        assertThat(collected(1).get(0).scopes()).isEqualTo(collected(4).get(0).scopes());
        assertThat(done(1)).isEqualTo(new AssignmentDone(1, 1, 0, ""));
        assertThat(lines("served.log")).as("collected once, by the process that ran both batches")
                .filteredOn(l -> l.startsWith("collected")).containsExactly("collected 9");
        assertThat(lines("pids")).hasSize(2).containsOnly(lines("pids").get(0));
    }

    @Test
    void eachAssignmentSaysWhereItsTimeWent() throws Exception {
        PytestRun collect = fx.run(collect(1, env("log")), sessions);
        collect.execute();
        PytestRun batch = fx.run(RunFixture.run(2, ids("test_pass"), List.of(), env("log"), 120), sessions);
        batch.execute();
        PytestRun oneShot = fx.run(collect(3, env("log")));
        oneShot.execute();

        assertThat(collect.times().summary())
                .matches("slot \\d+ ms, copy \\d+ ms, (cold|warm) start \\d+ ms, collection \\d+ ms, tests \\d+ ms");
        assertThat(batch.times().summary()).matches("slot \\d+ ms, kept session, tests \\d+ ms");
        assertThat(oneShot.times().summary()).matches("slot \\d+ ms, copy \\d+ ms, one-shot pytest \\d+ ms");
    }

    @Test
    void aServingSessionsCollectReportsAModuleSkippedAsItIsCollected() throws Exception {
        fx.file("tests/test_optional.py", "import pytest\n\npytest.importorskip('no_such_module_here')\n");

        assertThat(fx.run(collect(1, env("log")), sessions).execute()).isZero();

        assertThat(sessions.size()).as("a skipped module leaves the session servable").isEqualTo(1);
        assertThat(framesOf(1)).filteredOn(TestResult.class::isInstance).map(TestResult.class::cast)
                .extracting(TestResult::nodeId, TestResult::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("tests/test_optional.py", Outcome.SKIPPED));
    }

    @Test
    void aCollectThatFindsErrorsOrNothingIsAnsweredByACollectOnlyPytest() throws Exception {
        fx.file("tests/test_broken.py", "import no_such_module_here\n");

        assertThat(fx.run(collect(1, env("log")), sessions).execute()).as("pytest's exit code").isEqualTo(2);
        assertThat(framesOf(1)).filteredOn(TestResult.class::isInstance).extracting(f -> ((TestResult) f).nodeId())
                .containsExactly("tests/test_broken.py");
        assertThat(sessions.size()).isZero();
        assertThat(served(2, ids("test_pass"), List.of(), env("log"))).as("in a fresh pytest, which skips the broken file").isZero();
        assertThat(sessions.size()).isZero();

        Files.delete(fx.project.resolve("tests/test_broken.py"));
        Map<String, String> none = Map.of("LOG", tmp.resolve("log").toString(), "PIDS", tmp.resolve("pids").toString(),
                "STARTED_MARKER", tmp.resolve("started").toString(), "X", "other key");
        assertThat(fx.run(new Assign(3, 1, 10, 20, RunFixture.PKG, AssignmentKind.COLLECT, List.of("-k", "nothing_has_this"),
                none, List.of(), 120), sessions).execute()).as("no tests collected").isEqualTo(5);
        assertThat(collected(3)).isEmpty();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void aCollectCancelledWhileTheSessionCollectsEndsCancelledAndLeavesNoSession() throws Exception {
        Map<String, String> slow = new java.util.HashMap<>(env("log"));
        slow.put("SLOW_COLLECT", "1");
        PytestRun run = fx.run(collect(1, slow), sessions);
        Future<Integer> exit = background.submit(run::execute);
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(tmp.resolve("started")));

        run.cancel();

        assertThat(exit.get(15, TimeUnit.SECONDS)).isEqualTo(AssignmentDone.EXIT_CANCELLED);
        assertThat(collected(1)).isEmpty();
        assertThat(done(1)).isEqualTo(new AssignmentDone(1, 1, AssignmentDone.EXIT_CANCELLED, ""));
        assertThat(sessions.size()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(RunFixture::noChildProcesses);
    }

    @Test
    void anotherKeyStartsAnotherProcessInTheSlot() throws Exception {
        served(1, ids("test_pid"), List.of(), env("log"));
        served(2, ids("test_pid"), List.of("-p", "no:cacheprovider"), env("log"));
        served(3, ids("test_pid"), List.of("-p", "no:cacheprovider"), env("log"));

        List<String> pids = lines("pids");
        assertThat(pids).hasSize(3);
        assertThat(pids.get(1)).isNotEqualTo(pids.get(0)).isEqualTo(pids.get(2));
        assertThat(sessions.size()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.current().children().count() == 1);
    }

    @Test
    void anotherEvaluationOfTheSamePackageGetsAProcessOfItsOwn() throws Exception {
        served(1, ids("test_pid"), List.of(), env("log"));
        Assign again = RunFixture.run(2, ids("test_pid"), List.of(), env("log"), 120);
        Assign otherEvaluation = new Assign(2, 1, 11, 21,
                again.packageId(), again.kind(), again.pytestArgs(), again.env(), again.nodeIds(),
                again.timeoutSeconds());

        assertThat(fx.run(otherEvaluation, sessions).execute()).isZero();

        List<String> pids = lines("pids");
        assertThat(pids).hasSize(2);
        assertThat(pids.get(1)).as("nothing the first run left in its process is seen by the second")
                .isNotEqualTo(pids.get(0));
    }

    @Test
    void aSessionWithoutBatchesEndsAfterTheIdleTime() throws Exception {
        sessions = new PytestSessions(1, Duration.ofMillis(300), null);

        assertThat(served(1, ids("test_pass"), List.of(), env("log"))).isZero();

        await().atMost(Duration.ofSeconds(10)).until(() -> sessions.size() == 0 && RunFixture.noChildProcesses());
    }

    @Test
    void cancelKillsTheSession() throws Exception {
        served(1, ids("test_pass"), List.of(), env("log"));
        PytestRun run = fx.run(RunFixture.run(2, ids("test_sleeps"), List.of(), env("log"), 120), sessions);
        Future<Integer> exit = background.submit(run::execute);
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(tmp.resolve("started")));

        run.cancel();

        assertThat(exit.get(15, TimeUnit.SECONDS)).isEqualTo(AssignmentDone.EXIT_CANCELLED);
        assertThat(done(2)).isEqualTo(new AssignmentDone(2, 1, AssignmentDone.EXIT_CANCELLED, ""));
        assertThat(sessions.size()).isZero();
        assertThat(RunFixture.noChildProcesses()).isTrue();
    }

    @Test
    void theTimeLimitKillsTheSession() throws Exception {
        served(1, ids("test_pass"), List.of(), env("log"));
        long start = System.nanoTime();

        int exit = fx.run(RunFixture.run(2, ids("test_pass", "test_sleeps"), List.of(), env("log"), 2), sessions)
                .execute();

        assertThat(exit).isEqualTo(AssignmentDone.EXIT_TIMEOUT);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(20);
        assertThat(results(2)).containsExactly(tuple(id("test_pass"), Outcome.PASSED, ""));
        assertThat(done(2)).isEqualTo(new AssignmentDone(2, 1, AssignmentDone.EXIT_TIMEOUT, ""));
        assertThat(sessions.size()).isZero();
        assertThat(RunFixture.noChildProcesses()).isTrue();
    }

    @Test
    void drainingMidBatchFinishesTheRunningTestAndEndsTheSession() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(env("log"));
        env.put("SLEEP", "1");
        served(1, ids("test_pass"), List.of(), env);
        PytestRun run = fx.run(RunFixture.run(2, ids("test_sleeps", "test_crash", "test_loud"), List.of(), env, 120),
                sessions);
        Future<Integer> exit = background.submit(run::execute);
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(tmp.resolve("started")));

        run.drain();

        assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(AssignmentDone.EXIT_DRAINED);
        assertThat(results(2)).containsExactly(tuple(id("test_sleeps"), Outcome.PASSED, ""));
        assertThat(framesOf(2)).hasSize(3).endsWith(new AssignmentDone(2, 1, AssignmentDone.EXIT_DRAINED, ""));
        await().atMost(Duration.ofSeconds(5)).until(() -> sessions.size() == 0 && RunFixture.noChildProcesses());
    }

    @Test
    void aCrashEndsTheSessionWithItsOwnWordsAndTheNextBatchStartsAFreshOne() throws Exception {
        served(1, ids("test_loud", "test_pid"), List.of("-s"), env("log"));

        int exit = served(2, ids("test_pass", "test_crash", "test_loud"), List.of("-s"), env("log"));

        assertThat(exit).isEqualTo(3);
        assertThat(results(2)).containsExactly(tuple(id("test_pass"), Outcome.PASSED, ""));
        assertThat(done(2).exitCode()).isEqualTo(3);
        assertThat(done(2).detail()).contains("CRASH OUTPUT").doesNotContain("FIRST BATCH OUTPUT");
        assertThat(sessions.size()).isZero();
        assertThat(served(3, ids("test_pid"), List.of("-s"), env("log"))).isZero();
        assertThat(lines("pids")).hasSize(2).doesNotHaveDuplicates();
        assertThat(lines("log")).filteredOn(l -> l.startsWith("collected")).hasSize(2);
    }

    @Test
    void exitFirstStopsTheBatchAsRunModeDoesAndEndsTheSession() throws Exception {
        List<String> nodes = ids("test_pass", "test_fail", "test_error", "test_pid");

        assertThat(served(1, nodes, List.of("-x"), env("log"))).isEqualTo(1);

        // what a run-mode pytest with -x gives these nodes (PytestRunOutcomesTest has the rest of the mix)
        assertThat(results(1)).containsExactly(tuple(id("test_pass"), Outcome.PASSED, ""),
                tuple(id("test_fail"), Outcome.FAILED, "assert 1 == 2"));
        assertThat(done(1)).isEqualTo(new AssignmentDone(1, 1, 1, ""));
        await().atMost(Duration.ofSeconds(5)).until(() -> sessions.size() == 0);
    }

    @Test
    void aProjectWithACollectionErrorRunsInFreshProcessesWithRunModesNarrowing() throws Exception {
        fx.file("tests/test_broken.py", "import no_such_module_here\n");

        assertThat(served(1, ids("test_pass", "test_pid"), List.of(), env("log"))).isZero();
        assertThat(served(2, ids("test_pid"), List.of(), env("log"))).isZero();

        assertThat(results(1)).containsExactly(tuple(id("test_pass"), Outcome.PASSED, ""),
                tuple(id("test_pid"), Outcome.PASSED, ""));
        assertThat(done(2)).isEqualTo(new AssignmentDone(2, 1, 0, ""));
        assertThat(lines("pids")).hasSize(2).doesNotHaveDuplicates();
        // the session that found the error, then one fresh pytest for each assignment: the key is remembered
        assertThat(lines("log")).filteredOn(l -> l.startsWith("collected")).containsExactly("collected 9",
                "collected 2", "collected 1");
        assertThat(sessions.size()).isZero();
    }
}
