package io.cdnodes.agent.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.Collected;
import io.cdnodes.protocol.frame.Outcome;
import io.cdnodes.protocol.frame.TestResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real python3 and pytest: what COLLECT and RUN report for each kind of test. The worker bounds failure texts
 * to maxMessageChars (4000 here): 3999 characters and an ellipsis.
 */
class PytestRunOutcomesTest {

    private static final String MIX = """
            import pytest

            def test_pass():
                pass

            def test_fail():
                assert 1 == 2

            @pytest.fixture
            def broken():
                raise RuntimeError("boom")

            def test_error(broken):
                pass

            @pytest.mark.skip(reason="not today")
            def test_skip():
                pass

            @pytest.mark.xfail(reason="known bug")
            def test_xfail():
                assert False

            @pytest.mark.xfail(reason="maybe fixed")
            def test_xpass():
                pass

            @pytest.mark.xfail(strict=True, reason="must fail")
            def test_strict_xpass():
                pass

            @pytest.mark.parametrize("n", [1, 2])
            def test_param(n):
                assert n == 1

            def test_long_message():
                assert False, "y" * 100_000

            def test_not_selected():
                assert False, "never run"
            """;

    @TempDir
    Path tmp;

    private RunFixture fx;

    @BeforeEach
    void project() throws Exception {
        fx = new RunFixture(tmp).file("tests/test_mix.py", MIX).file("tests/__init__.py", "");
    }

    @AfterEach
    void nothingLeftRunning() throws Exception {
        assertThat(RunFixture.noChildProcesses()).isTrue();
        try (var s = Files.list(fx.runs)) {
            assertThat(s).as("the run's private copy is removed").isEmpty();
        }
    }

    private static String id(String name) {
        return "tests/test_mix.py::" + name;
    }

    @Test
    void collectReportsNodeIdsInOrderAndCollectionErrorsAsErrorResults() throws Exception {
        fx.file("tests/test_broken.py", "import no_such_module_here\n");

        int exit = fx.run(RunFixture.collect(5)).execute();

        assertThat(exit).isEqualTo(2);
        assertThat(fx.frames).hasSize(3);
        TestResult error = (TestResult) fx.frames.get(0);
        assertThat(error.nodeId()).isEqualTo("tests/test_broken.py");
        assertThat(error.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(error.assignmentId()).isEqualTo(5);
        assertThat(error.message()).contains("ModuleNotFoundError: No module named 'no_such_module_here'");
        Collected collected = (Collected) fx.frames.get(1);
        assertThat(collected.nodeIds()).containsExactly(id("test_pass"), id("test_fail"),
                id("test_error"), id("test_skip"), id("test_xfail"), id("test_xpass"), id("test_strict_xpass"),
                id("test_param[1]"), id("test_param[2]"), id("test_long_message"), id("test_not_selected"));
        assertThat(collected.scopes()).as("no test here shares a fixture wider than itself")
                .hasSize(11).containsOnly("");
        AssignmentDone done = fx.done();
        assertThat(done.exitCode()).isEqualTo(2);
        assertThat(done.detail()).contains("Interrupted: 1 error during collection");
    }

    @Test
    void collectReportsAModuleSkippedAsItIsCollectedAsOneSkippedResult() throws Exception {
        // pytest counts it: "1 skipped", under the module's node id, with nothing collected from it
        fx.file("tests/test_optional.py", "import pytest\n\npytest.importorskip('no_such_module_here')\n\n"
                + "def test_never_collected():\n    pass\n");

        int exit = fx.run(RunFixture.collect(5)).execute();

        assertThat(exit).isZero();
        TestResult skipped = (TestResult) fx.frames.get(0);
        assertThat(skipped.nodeId()).isEqualTo("tests/test_optional.py");
        assertThat(skipped.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(skipped.message()).as("as a test's skip reads").isEqualTo("Skipped: could not import 'no_such_module_here': "
                + "No module named 'no_such_module_here'");
        Collected collected = (Collected) fx.frames.get(1);
        assertThat(collected.nodeIds()).hasSize(11).noneMatch(n -> n.startsWith("tests/test_optional.py"));
    }

    @Test
    void collectNamesTheClassModuleOrPackageWhoseFixturesATestShares() throws Exception {
        fx.file("tests/pkg/__init__.py", "")
                .file("tests/conftest.py", """
                        import pytest

                        @pytest.fixture(scope="session")
                        def everywhere():
                            return 1
                        """)
                .file("tests/pkg/conftest.py", """
                        import pytest

                        @pytest.fixture(scope="package")
                        def per_package():
                            return []
                        """)
                .file("tests/pkg/test_scopes.py", """
                        import unittest
                        import pytest

                        @pytest.fixture(scope="module")
                        def per_module():
                            return {}

                        @pytest.fixture(scope="class")
                        def per_class():
                            return {}

                        def test_alone(everywhere):
                            pass

                        def test_module(per_module):
                            pass

                        class TestBox:
                            def test_class(self, per_class):
                                pass

                            def test_widest_wins(self, per_class, per_module, per_package):
                                pass

                            def test_free(self):
                                pass

                        class Case(unittest.TestCase):
                            @classmethod
                            def setUpClass(cls):
                                cls.shared = []

                            def test_one(self):
                                pass
                        """);
        fx.file("tests/test_mix.py", "def test_plain():\n    pass\n");

        fx.run(RunFixture.collect(6)).execute();

        Collected collected = (Collected) fx.frames.get(0);
        String m = "tests/pkg/test_scopes.py";
        assertThat(collected.nodeIds()).containsExactly(m + "::test_alone", m + "::test_module",
                m + "::TestBox::test_class", m + "::TestBox::test_widest_wins", m + "::TestBox::test_free",
                m + "::Case::test_one", id("test_plain"));
        assertThat(collected.scopes()).containsExactly("", m, m + "::TestBox", "tests/pkg/", "",
                m + "::Case", "");
    }

    @Test
    void runReportsExactlyTheSelectedNodesWithPytestsOutcomes() throws Exception {
        List<String> selected = List.of(id("test_pass"), id("test_fail"), id("test_error"), id("test_skip"),
                id("test_xfail"), id("test_xpass"), id("test_strict_xpass"), id("test_param[2]"),
                id("test_long_message"));

        int exit = fx.run(RunFixture.run(8, selected, List.of(), Map.of(), 120)).execute();

        assertThat(exit).isEqualTo(1);
        assertThat(fx.results()).extracting(TestResult::nodeId, TestResult::outcome, TestResult::message)
                .containsExactly(
                        tuple(id("test_pass"), Outcome.PASSED, ""),
                        tuple(id("test_fail"), Outcome.FAILED, "assert 1 == 2"),
                        tuple(id("test_error"), Outcome.ERROR, "RuntimeError: boom"),
                        tuple(id("test_skip"), Outcome.SKIPPED, "Skipped: not today"),
                        tuple(id("test_xfail"), Outcome.XFAILED, "known bug"),
                        tuple(id("test_xpass"), Outcome.XPASSED, "maybe fixed"),
                        tuple(id("test_strict_xpass"), Outcome.FAILED,
                                "[XPASS(strict)] must fail"),
                        tuple(id("test_param[2]"), Outcome.FAILED, "assert 2 == 1"),
                        tuple(id("test_long_message"), Outcome.FAILED,
                                "AssertionError: " + "y".repeat(3983) + "…"));
        assertThat(fx.results()).allSatisfy(r -> {
            assertThat(r.assignmentId()).isEqualTo(8);
            assertThat(r.attempt()).isEqualTo(1);
            assertThat(r.durationSeconds()).isBetween(0.0, 30.0);
        });
        assertThat(fx.started()).containsExactlyElementsOf(fx.results().stream().map(TestResult::nodeId).toList());
        assertThat(fx.frames).hasSize(2 * fx.results().size() + 1);
        assertThat(fx.done()).isEqualTo(new AssignmentDone(8, 1, 1, ""));
    }
}
