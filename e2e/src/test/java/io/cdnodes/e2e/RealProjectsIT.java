package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdnodes.e2e.support.Api;
import io.cdnodes.e2e.support.Coordinator;
import io.cdnodes.e2e.support.Paths;
import io.cdnodes.e2e.support.PytestOracle;
import io.cdnodes.e2e.support.Python;
import io.cdnodes.e2e.support.SharedCoordinator;
import io.cdnodes.e2e.support.WorkerAgent;
import io.cdnodes.e2e.support.Zips;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Projects written the way real authors write them (fixtures/: a src/ layout, doctests, subtests, warnings as
 * errors, strict xfail, a module skipped for a missing optional dependency, collection-changing hooks, a collection
 * error, test-only dependencies) run through
 * the real system on two real workers; per project, every node id and outcome equals what plain
 * {@code python -m pytest} gives with the same arguments and environment. The four evaluations are submitted
 * at once (projects sharing options in one zip) and checked one per test.
 */
@ExtendWith(SharedCoordinator.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealProjectsIT {

    private static final Duration FINISH = Duration.ofMinutes(4);
    private static final List<String> PLAIN = List.of("src_pythonpath", "subtests", "strict", "hooks",
            "collection_error");
    private static final List<String> DOCTEST_ARGS = List.of("--doctest-modules");
    private static final Map<String, String> DOCTEST_ENV = Map.of("PYTHONPATH", "src");
    private static final List<String> USAGE_ARGS = List.of("--no-such-option");

    private Api api;
    private WorkerAgent unix;
    private WorkerAgent tcp;
    private long plain;
    private long doctests;
    private long deps;
    private long usage;
    /** Plain pytest runs one after another, while the system works (they are what the tests wait for last). */
    private final ExecutorService oracle = Executors.newSingleThreadExecutor();
    private Future<String> depsPython;
    private final Map<String, Future<Map<String, String>>> plainExpected = new LinkedHashMap<>();

    @BeforeAll
    void submitEverything(Coordinator c) {
        api = c.api();
        unix = c.worker("real-unix", true);
        tcp = c.worker("real-tcp", false);
        unix.awaitConnected(Duration.ofSeconds(60));
        tcp.awaitConnected(Duration.ofSeconds(60));
        // the evaluation that installs goes first: evaluations are served in order, and pip mostly waits
        Map<String, Path> depsProjects = new LinkedHashMap<>();
        depsProjects.put("test_deps", Paths.fixture("test_deps"));
        depsProjects.put("deps_missing", Paths.fixture("deps_missing"));
        deps = api.submitOk("deps.zip", Zips.ofProjects(depsProjects), "{\"install_deps\": true}");
        Map<String, Path> plainProjects = new LinkedHashMap<>();
        PLAIN.forEach(name -> plainProjects.put(name, Paths.fixture(name)));
        plain = api.submitOk("real.zip", Zips.ofProjects(plainProjects), null);
        doctests = api.submitOk("textkit.zip", Zips.of(Paths.fixture("src_env_doctest"), ""),
                "{\"pytest_args\": [\"--doctest-modules\"], \"env\": {\"PYTHONPATH\": \"src\"}}");
        usage = api.submitOk("subtests.zip", Zips.of(Paths.fixture("subtests"), ""),
                "{\"pytest_args\": [\"--no-such-option\"]}");

        Path fixture = Paths.fixture("test_deps");
        // what the fixture declares: tabulate in requirements-test.txt, toolz>=0.12 in its `test` extra
        depsPython = oracle.submit(() -> venvWith(List.of("-r", fixture.resolve("requirements-test.txt").toString(),
                "toolz>=0.12")));
        PLAIN.forEach(name -> plainExpected.put(name,
                oracle.submit(() -> PytestOracle.outcomes(Paths.fixture(name), List.of(), Map.of()))));
    }

    @AfterAll
    void stopWorkers() {
        oracle.shutdownNow();
        if (unix != null) {
            unix.close();
        }
        if (tcp != null) {
            tcp.close();
        }
    }

    private static <T> T get(Future<T> f) {
        try {
            return f.get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw new IllegalStateException("plain pytest could not be run", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void projectsWithoutOptionsGiveExactlyWhatPlainPytestGives() {
        JsonNode ev = api.awaitFinished(plain, FINISH);

        assertThat(ev.get("status").asText()).isEqualTo("done");
        Set<String> workers = new HashSet<>();
        for (String name : PLAIN) {
            JsonNode project = project(ev, name);
            assertThat(outcomes(project)).as(name).isEqualTo(get(plainExpected.get(name)));
            project.get("tests").forEach(t -> workers.add(t.get("worker").asText()));
        }
        // which worker runs what is the scheduler's choice and the machine's timing (a small project may stay on the
        // worker that collected it): over the four evaluations of this class, both transports carry results
        for (long other : List.of(doctests, deps)) {
            api.awaitFinished(other, FINISH).get("projects")
                    .forEach(p -> p.get("tests").forEach(t -> workers.add(t.get("worker").asText())));
        }
        assertThat(workers).as("both workers ran tests").containsExactlyInAnyOrder("real-unix", "real-tcp");

        Map<String, String> sub = messages(project(ev, "subtests"));
        assertThat(sub).containsEntry("tests/test_fixture_subtests.py::test_squares",
                "2 of 5 subtests failed: [square] (i=3) assert (3 * 3) < 9; [square] (i=4) assert (4 * 4) < 9");
        assertThat(sub).containsEntry("tests/test_unittest_subtests.py::EvenNumbers::test_some_odd",
                "2 of 5 subtests failed: (n=1) AssertionError: False is not true : 1 is odd; "
                        + "(n=3) AssertionError: False is not true : 3 is odd");
        assertThat(get(plainExpected.get("strict"))).as("pytest counts a module skipped as it is collected")
                .containsEntry("tests/test_optional.py", "skipped");
        Map<String, String> strict = messages(project(ev, "strict"));
        assertThat(strict.get("tests/test_warnings.py::test_calls_deprecated_api"))
                .startsWith("DeprecationWarning: old_api() is deprecated, use new_api()");
        assertThat(strict).containsEntry("tests/test_xfail.py::test_known_bug_fixed_strict_by_ini",
                "[XPASS(strict)] bug 13, fixed since");
    }

    @Test
    void aCollectionErrorIsReportedWithPytestsTextAndNothingElseRuns() {
        JsonNode project = project(api.awaitFinished(plain, FINISH), "collection_error");
        PytestOracle.Run pytest = PytestOracle.run(Paths.fixture("collection_error"), List.of(), Map.of(),
                Python.executable());

        assertThat(pytest.exitCode()).isEqualTo(2);
        assertThat(pytest.output()).contains("Interrupted: 1 error during collection", "E   KeyError: 'timeout'");
        assertThat(outcomes(project)).containsExactly(Map.entry("tests/test_broken.py", "error"));
        // the message is the line naming the exception; pytest's whole text is the report's longrepr
        assertThat(messages(project).get("tests/test_broken.py")).isEqualTo("KeyError: 'timeout'");
        assertThat(field(project, "tests/test_broken.py", "longrepr"))
                .startsWith("tests/test_broken.py:3: in <module>").contains("E   KeyError: 'timeout'");
        assertThat(field(project, "tests/test_broken.py", "phase")).isEqualTo("collect");
        assertThat(project.get("status").asText()).isEqualTo("done");
        assertThat(project.get("reason").asText())
                .isEqualTo("Interrupted: 1 error during collection; as pytest does, no test was run");
    }

    @Test
    void aSrcLayoutAndDoctestsRunWithTheOptionsThatEnableThem() {
        JsonNode ev = api.awaitFinished(doctests, FINISH);

        assertThat(ev.get("status").asText()).isEqualTo("done");
        JsonNode project = ev.get("projects").get(0);
        Map<String, String> expected = PytestOracle.outcomes(Paths.fixture("src_env_doctest"), DOCTEST_ARGS,
                DOCTEST_ENV);
        assertThat(expected).containsEntry("src/textkit/words.py::textkit.words.shout", "failed")
                .containsEntry("src/textkit/words.py::textkit.words.count", "passed")
                .containsEntry("src/textkit/__init__.py::textkit", "passed");
        assertThat(outcomes(project)).isEqualTo(expected);
        assertThat(field(project, "src/textkit/words.py::textkit.words.shout", "longrepr"))
                .contains("Expected:\n    'HI!!'\nGot:\n    'HI!'");
    }

    @Test
    void declaredTestDependenciesAreInstalledAndAFailedInstallationFailsOnlyItsProject() {
        JsonNode ev = api.awaitFinished(deps, FINISH);

        assertThat(ev.get("status").asText()).isEqualTo("done");
        Path fixture = Paths.fixture("test_deps");
        Map<String, String> expected = PytestOracle.outcomes(fixture, List.of(), Map.of(), get(depsPython));
        assertThat(expected).containsValues("passed", "failed");
        JsonNode installed = project(ev, "test_deps");
        assertThat(installed.get("status").asText()).isEqualTo("done");
        assertThat(outcomes(installed)).isEqualTo(expected)
                .as("without the dependencies plain pytest gives something else")
                .isNotEqualTo(PytestOracle.outcomes(fixture, List.of(), Map.of()));

        JsonNode missing = project(ev, "deps_missing");
        assertThat(missing.get("status").asText()).isEqualTo("failed");
        assertThat(missing.get("tests")).isEmpty();
        assertThat(missing.get("reason").asText()).startsWith("pytest could not be started\n"
                + "installing the test dependencies failed: pip install exited with 1:")
                .contains("No matching distribution found for cdnodes-no-such-package-anywhere==1.0.0");
    }

    @Test
    void aUsageErrorFailsTheProjectWithPytestsOwnMessage() {
        JsonNode ev = api.awaitFinished(usage, FINISH);
        PytestOracle.Run pytest = PytestOracle.run(Paths.fixture("subtests"), USAGE_ARGS, Map.of(),
                Python.executable());

        assertThat(pytest.exitCode()).isEqualTo(4);
        String pytestSays = pytest.output().lines().filter(l -> l.contains("error: unrecognized arguments"))
                .findFirst().orElseThrow();
        assertThat(ev.get("status").asText()).isEqualTo("failed");
        JsonNode project = ev.get("projects").get(0);
        assertThat(project.get("status").asText()).isEqualTo("failed");
        assertThat(project.get("tests")).isEmpty();
        assertThat(project.get("reason").asText()).startsWith("pytest usage error (check the pytest arguments):\n")
                .contains(pytestSays, "ERROR: usage: ");
    }

    private static JsonNode project(JsonNode evaluation, String name) {
        for (JsonNode p : evaluation.get("projects")) {
            if (p.get("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no project " + name + " in " + evaluation);
    }

    /** Node id → outcome, failing when a node is reported twice. */
    private static Map<String, String> outcomes(JsonNode project) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode t : project.get("tests")) {
            assertThat(out.put(t.get("nodeid").asText(), t.get("outcome").asText()))
                    .as("%s reported once", t.get("nodeid").asText()).isNull();
        }
        return out;
    }

    /** One field of one test's result ({@code longrepr}, {@code phase}...), "" when absent. */
    private static String field(JsonNode project, String nodeId, String name) {
        for (JsonNode t : project.get("tests")) {
            if (t.get("nodeid").asText().equals(nodeId)) {
                return t.has(name) ? t.get(name).asText() : "";
            }
        }
        throw new AssertionError("no test " + nodeId);
    }

    private static Map<String, String> messages(JsonNode project) {
        Map<String, String> out = new TreeMap<>();
        project.get("tests").forEach(t -> out.put(t.get("nodeid").asText(), t.get("message").asText()));
        return out;
    }

    /** A virtual environment made the way a worker makes one: the machine's Python, its pip as configured. */
    private static String venvWith(List<String> pipArgs) throws IOException, InterruptedException {
        Path venv = Paths.work("oracle-venv-").resolve("venv");
        run(List.of(Python.executable(), "-m", "venv", "--system-site-packages", venv.toString()));
        String python = venv.resolve("bin/python").toString();
        List<String> install = new ArrayList<>(List.of(python, "-m", "pip", "install", "--no-input", "-q"));
        install.addAll(pipArgs);
        run(install);
        return python;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " failed:\n" + out);
        }
    }
}
