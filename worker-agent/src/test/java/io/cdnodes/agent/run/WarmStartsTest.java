package io.cdnodes.agent.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warm starts against cold ones, with real interpreters: what a test can see of how its pytest was started must
 * be the same, and whatever could make it differ starts cold.
 */
class WarmStartsTest {

    /** Everything a test can read about how its interpreter and pytest were started. */
    private static final String INTROSPECTION = """
            import os, sys, __main__

            def test_how_it_was_started():
                print("path", sys.path[:2])
                print("argv", sys.argv)
                print("orig_argv", sys.orig_argv)
                print("main", getattr(__main__, "__file__", None), __main__.__name__, __main__.__spec__.name)
                print("cwd", os.getcwd())
                print("env", sorted((k, v) for k, v in os.environ.items() if k.startswith(("CDNODES_", "GREETING"))))
                print("stdin", repr(sys.__stdin__.read()) if sys.__stdin__ else None)
                print("flags", sys.flags)
                import helper
                print("helper", helper.__file__)
            """;

    @TempDir
    Path tmp;

    private ScheduledExecutorService timer;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void timer() {
        timer = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() throws InterruptedException {
        timer.shutdownNow();
        started.forEach(Process::destroyForcibly);
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aWarmStartRunsPytestAsAColdStartWould() throws Exception {
        Path project = project("p1");
        WarmStarts warm = new WarmStarts(1, Duration.ZERO, Duration.ofMinutes(1), timer);
        try {
            ProcessBuilder pb = pytest(project, Map.of("GREETING", "hello wörld"));
            WarmStarts.Started cold = warm.start(pb, tmp);
            assertThat(cold.warm()).as("nothing was ready").isFalse();
            String coldOutput = output(cold.process());
            awaitReady(warm, pb);

            WarmStarts.Started second = warm.start(pytest(project, Map.of("GREETING", "hello wörld")), tmp);
            assertThat(second.warm()).isTrue();
            String warmOutput = output(second.process());

            assertThat(coldOutput).contains("1 passed").contains("path ['" + project.toRealPath())
                    .contains("('GREETING', 'hello wörld')").contains("('CDNODES_MODE', 'run')");
            assertThat(normalized(warmOutput)).isEqualTo(normalized(coldOutput));
            assertThat(second.process().exitValue()).isEqualTo(cold.process().exitValue()).isZero();
        } finally {
            warm.shutdown();
        }
    }

    @Test
    void aProjectThatWouldShadowAModuleTheInterpreterImportedStartsCold() throws Exception {
        Path project = project("p2");
        Files.writeString(project.resolve("json.py"), "raise ImportError('the project shadows json')\n");
        WarmStarts warm = new WarmStarts(1, Duration.ZERO, Duration.ofMinutes(1), timer);
        try {
            ProcessBuilder first = pytest(project("p1"), Map.of());
            output(warm.start(first, tmp).process());
            awaitReady(warm, first);

            WarmStarts.Started run = warm.start(pytest(project, Map.of()), tmp);
            assertThat(run.warm()).isFalse();
            // as `python -m pytest` there: the project's json.py is what gets imported
            assertThat(output(run.process())).contains("the project shadows json");
            assertThat(warm.waiting()).as("kept for another project").isEqualTo(1);
        } finally {
            warm.shutdown();
        }
    }

    @Test
    void aRelativePythonPathOrAnotherEnvironmentStartsCold() throws Exception {
        Path project = project("p3");
        WarmStarts warm = new WarmStarts(2, Duration.ZERO, Duration.ofMinutes(1), timer);
        try {
            ProcessBuilder one = pytest(project, Map.of("GREETING", "one"));
            output(warm.start(one, tmp).process());
            awaitReady(warm, one);
            WarmStarts.Started other = warm.start(pytest(project, Map.of("GREETING", "two")), tmp);
            assertThat(other.warm()).isFalse();
            assertThat(output(other.process())).contains("('GREETING', 'two')");

            ProcessBuilder relative = pytest(project, Map.of());
            relative.environment().put("PYTHONPATH", "lib");
            output(warm.start(relative, tmp).process());
            ProcessBuilder again = pytest(project, Map.of());
            again.environment().put("PYTHONPATH", "lib");
            awaitReady(warm, again);
            assertThat(warm.waiting()).as("at most capacity").isEqualTo(2);
            WarmStarts.Started run = warm.start(again, tmp);
            assertThat(run.warm()).isFalse();
            assertThat(output(run.process())).contains("1 passed");
        } finally {
            warm.shutdown();
        }
        assertThat(warm.waiting()).isZero();
    }

    @Test
    void interpretersThatWaitedTooLongAreEnded() throws Exception {
        Path project = project("p4");
        WarmStarts warm = new WarmStarts(1, Duration.ZERO, Duration.ofSeconds(3), timer);
        try {
            Process first = warm.start(pytest(project, Map.of()), tmp).process();
            await().atMost(Duration.ofSeconds(30)).until(() -> warm.waiting() == 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> warm.waiting() == 0);
            output(first);
            WarmStarts.Started late = warm.start(pytest(project, Map.of()), tmp);
            assertThat(late.warm()).isFalse();
            output(late.process());
        } finally {
            warm.shutdown();
        }
        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("warm-"));
        }
    }

    private Path project(String name) throws IOException {
        Path project = Files.createDirectories(tmp.resolve(name));
        Files.writeString(project.resolve("test_intro.py"), INTROSPECTION);
        Files.createDirectories(project.resolve("lib"));
        Files.writeString(project.resolve("helper.py"), "");
        return project;
    }

    /** As the agent builds it: python -m pytest ARGS in the project, with plugin variables. */
    private static ProcessBuilder pytest(Path project, Map<String, String> user) {
        ProcessBuilder pb = new ProcessBuilder("python3", "-m", "pytest", "-s", "-q", "-p", "no:cacheprovider",
                "test_intro.py").directory(project.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("CDNODES_"));
        pb.environment().putAll(user);
        pb.environment().put("CDNODES_MODE", "run");
        pb.environment().put("CDNODES_REPORT", project.resolve("report.jsonl").toString());
        return pb;
    }

    private String output(Process p) throws Exception {
        started.add(p);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static void awaitReady(WarmStarts warm, ProcessBuilder like) {
        await().atMost(Duration.ofSeconds(30)).until(() -> warm.readyFor(like));
    }

    /** Without the durations pytest prints. */
    private static String normalized(String output) {
        return output.replaceAll("in [0-9.]+s", "in Ns");
    }
}
