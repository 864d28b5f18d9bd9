package io.cdnodes.agent.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cdnodes.agent.TestPlugin;
import io.cdnodes.agent.deps.TestVenvs;
import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.AssignmentKind;
import io.cdnodes.protocol.frame.Collected;
import io.cdnodes.protocol.frame.Outcome;
import io.cdnodes.protocol.frame.TestResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code install_deps} directive with real python3, venv, pip and pytest: COLLECT and RUN both run in the
 * environment holding what the project declares; a failed installation ends the assignment as not started,
 * with pip's words.
 */
class PytestRunDepsTest {

    private static final String TEST = """
            import os
            import sys

            import tabulate

            def test_table():
                assert tabulate.tabulate([[1, 2]], tablefmt="plain") == "1  2"

            def test_runs_in_the_environment():
                assert sys.prefix != sys.base_prefix
                assert os.environ["VIRTUAL_ENV"] == sys.prefix
                assert os.environ["PATH"].split(os.pathsep)[0] == os.path.join(sys.prefix, "bin")
            """;

    @TempDir
    Path tmp;

    private static Assign assign(long id, AssignmentKind kind, List<String> nodeIds, boolean installDeps) {
        return new Assign(id, 1, 10, 20, RunFixture.PKG, kind, List.of(), Map.of(), nodeIds, 300,
                installDeps ? Map.of(Assign.INSTALL_DEPS, "true") : Map.of());
    }

    private RunFixture fixture(Path venvs) throws Exception {
        RunFixture fx = new RunFixture(tmp);
        RunSettings s = fx.settings;
        return new RunFixture(fx.project, fx.runs, new RunSettings(s.python(), s.pluginDir(), s.runsDir(),
                s.maxOutputBytes(), s.maxMessageChars(), venvs));
    }

    @Test
    void collectAndRunUseTheEnvironmentOfTheDeclaredDependencies() throws Exception {
        RunFixture fx = fixture(TestVenvs.root()).file("requirements-test.txt", TestVenvs.REQUIREMENT + "\n")
                .file("tests/test_table.py", TEST);
        List<String> ids = List.of("tests/test_table.py::test_table", "tests/test_table.py::test_runs_in_the_environment");

        assertThat(fx.run(assign(1, AssignmentKind.COLLECT, List.of(), true)).execute()).isZero();
        assertThat(fx.frames).containsExactly(new Collected(1, 1, ids, List.of("", "")), new AssignmentDone(1, 1, 0, ""));

        fx.frames.clear();
        assertThat(fx.run(assign(2, AssignmentKind.RUN, ids, true)).execute()).isZero();
        assertThat(fx.results()).extracting(TestResult::nodeId, TestResult::outcome, TestResult::message)
                .containsExactly(tuple(ids.get(0), Outcome.PASSED, ""), tuple(ids.get(1), Outcome.PASSED, ""));

        // a serving pytest runs in the same environment
        fx.frames.clear();
        PytestSessions sessions = new PytestSessions(1, java.time.Duration.ofSeconds(30));
        try {
            assertThat(fx.run(assign(6, AssignmentKind.RUN, ids, true), sessions).execute()).isZero();
            assertThat(fx.results()).extracting(TestResult::nodeId, TestResult::outcome, TestResult::message)
                    .containsExactly(tuple(ids.get(0), Outcome.PASSED, ""), tuple(ids.get(1), Outcome.PASSED, ""));
            assertThat(sessions.size()).isEqualTo(1);
        } finally {
            sessions.shutdown();
        }

        // without the directive the machine's Python runs it, which has no tabulate
        fx.frames.clear();
        assertThat(fx.run(assign(3, AssignmentKind.RUN, ids, false)).execute()).isEqualTo(2);
        assertThat(fx.results()).isEmpty();
        assertThat(fx.done().detail()).contains("ModuleNotFoundError: No module named 'tabulate'");
    }

    @Test
    void aProjectDeclaringNothingRunsWithTheWorkersPythonAndMakesNoEnvironment() throws Exception {
        Path venvs = tmp.resolve("venvs");
        RunFixture fx = fixture(venvs).file("tests/test_plain.py", """
                import sys

                def test_base_python():
                    assert sys.prefix == sys.base_prefix
                """);

        int exit = fx.run(assign(4, AssignmentKind.RUN, List.of("tests/test_plain.py::test_base_python"), true))
                .execute();

        assertThat(fx.results()).extracting(TestResult::outcome).containsExactly(Outcome.PASSED);
        assertThat(exit).isZero();
        assertThat(venvs).doesNotExist();
    }

    @Test
    void aFailedInstallationEndsTheAssignmentAsNotStartedWithPipsWordsAndKeepsNothing() throws Exception {
        Path venvs = tmp.resolve("venvs");
        RunFixture fx = fixture(venvs).file("requirements.txt", "cdnodes-no-such-package-anywhere==1.0.0\n")
                .file("tests/test_x.py", "def test_x():\n    pass\n");

        int exit = fx.run(assign(5, AssignmentKind.COLLECT, List.of(), true)).execute();

        assertThat(exit).isEqualTo(AssignmentDone.EXIT_NOT_STARTED);
        assertThat(fx.frames).hasSize(1);
        AssignmentDone done = fx.done();
        assertThat(done.exitCode()).isEqualTo(AssignmentDone.EXIT_NOT_STARTED);
        assertThat(done.detail()).startsWith("installing the test dependencies failed: pip install exited with 1:")
                .contains("No matching distribution found for cdnodes-no-such-package-anywhere==1.0.0");
        try (var s = Files.list(venvs)) {
            assertThat(s).as("a failed environment is not kept").isEmpty();
        }
        assertThat(RunFixture.noChildProcesses()).isTrue();
    }
}
