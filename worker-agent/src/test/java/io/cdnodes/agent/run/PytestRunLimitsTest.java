package io.cdnodes.agent.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.Outcome;
import io.cdnodes.protocol.frame.TestResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real python3 and pytest: the time limit, cancelling, endless output, and runs that cannot start. */
class PytestRunLimitsTest {

    private static final String SLEEPY = """
            import os, time

            def test_quick():
                pass

            def test_sleeps():
                open(os.environ["STARTED_MARKER"], "w").close()
                time.sleep(60)
            """;

    @TempDir
    Path tmp;

    private final ExecutorService background = Executors.newSingleThreadExecutor();

    @AfterEach
    void nothingLeftRunning() throws Exception {
        background.shutdownNow();
        assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(RunFixture::noChildProcesses);
    }

    private List<String> sleepyNodes() {
        return List.of("test_sleepy.py::test_quick", "test_sleepy.py::test_sleeps");
    }

    private Map<String, String> marker() {
        return Map.of("STARTED_MARKER", tmp.resolve("started").toString());
    }

    @Test
    void theTimeLimitKillsPytestAndReportsTimeoutWithWhatFinishedBefore() throws Exception {
        RunFixture fx = new RunFixture(tmp).file("test_sleepy.py", SLEEPY);
        long start = System.nanoTime();

        int exit = fx.run(RunFixture.run(3, sleepyNodes(), List.of(), marker(), 2)).execute();

        assertThat(exit).isEqualTo(AssignmentDone.EXIT_TIMEOUT);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("seconds, not the 60 of the test")
                .isLessThan(20);
        // test_quick has passed unless pytest took the whole 2 s to start; test_sleeps never finishes
        assertThat(fx.results()).extracting(TestResult::nodeId, TestResult::outcome)
                .isSubsetOf(tuple("test_sleepy.py::test_quick", Outcome.PASSED));
        assertThat(fx.done().exitCode()).isEqualTo(AssignmentDone.EXIT_TIMEOUT);
        assertThat(fx.started()).isSubsetOf("test_sleepy.py::test_quick", "test_sleepy.py::test_sleeps");
        assertThat(fx.frames).hasSize(fx.results().size() + fx.started().size() + 1);
        assertThat(RunFixture.noChildProcesses()).isTrue();
    }

    @Test
    void cancelKillsPytestAndReportsCancelled() throws Exception {
        RunFixture fx = new RunFixture(tmp).file("test_sleepy.py", SLEEPY);
        PytestRun run = fx.run(RunFixture.run(4, sleepyNodes(), List.of(), marker(), 120));
        Future<Integer> exit = background.submit(run::execute);
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(tmp.resolve("started")));

        run.cancel();

        assertThat(exit.get(15, TimeUnit.SECONDS)).isEqualTo(AssignmentDone.EXIT_CANCELLED);
        assertThat(fx.done().exitCode()).isEqualTo(AssignmentDone.EXIT_CANCELLED);
        assertThat(fx.done().assignmentId()).isEqualTo(4);
        assertThat(RunFixture.noChildProcesses()).isTrue();
    }

    @Test
    void aRunCancelledBeforeItStartsReportsCancelledWithoutRunningTests() throws Exception {
        RunFixture fx = new RunFixture(tmp).file("test_sleepy.py", SLEEPY);
        PytestRun run = fx.run(RunFixture.run(5, sleepyNodes(), List.of(), marker(), 120));

        run.cancel();

        assertThat(run.execute()).isEqualTo(AssignmentDone.EXIT_CANCELLED);
        assertThat(fx.frames).hasSize(1);
        assertThat(fx.done().exitCode()).isEqualTo(AssignmentDone.EXIT_CANCELLED);
        assertThat(tmp.resolve("started")).doesNotExist();
    }

    @Test
    void drainingFinishesTheRunningTestAndStartsNoOther() throws Exception {
        RunFixture fx = new RunFixture(tmp).file("test_drain.py", """
                import os, time

                def test_first():
                    open(os.environ["STARTED_MARKER"], "w").close()
                    time.sleep(1.5)

                def test_second():
                    pass

                def test_third():
                    pass
                """);
        List<String> nodes = List.of("test_drain.py::test_first", "test_drain.py::test_second",
                "test_drain.py::test_third");
        PytestRun run = fx.run(RunFixture.run(9, nodes, List.of(), marker(), 120));
        Future<Integer> exit = background.submit(run::execute);
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(tmp.resolve("started")));

        run.drain();

        assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(AssignmentDone.EXIT_DRAINED);
        assertThat(fx.results()).extracting(TestResult::nodeId, TestResult::outcome)
                .containsExactly(tuple("test_drain.py::test_first", Outcome.PASSED));
        assertThat(fx.started()).containsExactly("test_drain.py::test_first");
        assertThat(fx.done()).isEqualTo(new AssignmentDone(9, 1, AssignmentDone.EXIT_DRAINED, ""));
    }

    @Test
    void aRunDrainedBeforeItStartsHandsEverythingBack() throws Exception {
        RunFixture fx = new RunFixture(tmp).file("test_sleepy.py", SLEEPY);
        PytestRun run = fx.run(RunFixture.run(10, sleepyNodes(), List.of(), marker(), 120));

        run.drain();

        assertThat(run.execute()).isEqualTo(AssignmentDone.EXIT_DRAINED);
        assertThat(fx.frames).containsExactly(new AssignmentDone(10, 1, AssignmentDone.EXIT_DRAINED, ""));
    }

    @Test
    void fiftyMegabytesOfOutputAreDrainedAndTheDetailStaysBounded() throws Exception {
        // -s: the output goes to the agent's pipe, not to pytest's capture; exit 3 makes the agent send a detail
        RunFixture fx = new RunFixture(tmp).file("test_noisy.py", """
                import os, sys

                def test_noisy():
                    line = "x" * 1023 + "\\n"
                    for _ in range(50):
                        sys.stdout.write(line * 1024)
                    sys.stdout.write("LAST LINE\\n")
                    sys.stdout.flush()
                    os._exit(3)
                """);

        int exit = fx.run(RunFixture.run(6, List.of("test_noisy.py::test_noisy"), List.of("-s"), Map.of(), 120))
                .execute();

        assertThat(exit).isEqualTo(3);
        AssignmentDone done = fx.done();
        assertThat(done.detail()).hasSize(8001).startsWith("…").endsWith("x\nLAST LINE\n");
        assertThat(fx.started()).containsExactly("test_noisy.py::test_noisy");
        assertThat(fx.frames).hasSize(2);
    }

    @Test
    void aPythonThatCannotBeStartedIsReportedAsNotStarted() throws Exception {
        RunFixture fx = new RunFixture(tmp, tmp.resolve("no-such-python").toString()).file("test_a.py", "");

        int exit = fx.run(RunFixture.run(7, List.of("test_a.py::test_a"), List.of(), Map.of(), 120)).execute();

        assertThat(exit).isEqualTo(AssignmentDone.EXIT_NOT_STARTED);
        assertThat(fx.frames).hasSize(1);
        assertThat(fx.done().detail()).startsWith("cannot start " + tmp.resolve("no-such-python") + ": ");
    }

    @Test
    void aPackageFolderThatCannotBeCopiedStillEndsTheAssignment() throws Exception {
        RunFixture fx = new RunFixture(tmp);
        PytestRun run = new PytestRun(RunFixture.run(8, List.of("t.py::t"), List.of(), Map.of(), 120),
                tmp.resolve("vanished"), fx.settings, fx.frames::add);

        assertThat(run.execute()).isEqualTo(AssignmentDone.EXIT_NOT_STARTED);

        assertThat(fx.frames).hasSize(1);
        assertThat(fx.done().detail()).startsWith("cannot prepare the run: java.nio.file.NoSuchFileException: ");
        try (var s = Files.list(fx.runs)) {
            assertThat(s).isEmpty();
        }
    }
}
