package io.cdnodes.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.Outcome;
import io.cdnodes.protocol.frame.TestResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a pytest process sees of its environment, whether it runs one assignment or serves several. Surefire
 * starts this JVM with CDNODES_WORKER_TOKEN and CDNODES_WORKER_NAME set (see the pom), as a real worker has
 * them: they must not reach the tests.
 */
class PytestRunEnvironmentTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"run", "serve"})
    void userVariablesReachTheTestsAndTheAgentsOwnDoNot(String mode) throws Exception {
        assertThat(System.getenv("CDNODES_WORKER_TOKEN")).as("set by surefire").isEqualTo("agent-token-for-tests");
        assertThat(System.getenv("CDNODES_WORKER_NAME")).as("set by surefire").isEqualTo("agent-under-test");
        String ours = mode.equals("run")
                ? "\"CDNODES_MAX_MESSAGE\", \"CDNODES_MODE\", \"CDNODES_REPORT\", \"CDNODES_REPORT_CHARS\", "
                        + "\"CDNODES_SELECT\", \"CDNODES_STOP\""
                : "\"CDNODES_MAX_MESSAGE\", \"CDNODES_MODE\", \"CDNODES_REPORT\", \"CDNODES_REPORT_CHARS\", "
                        + "\"CDNODES_SERVE_DIR\", \"CDNODES_SERVE_IDLE\", \"CDNODES_STOP\"";
        RunFixture fx = new RunFixture(tmp).file("src/mylib.py", "ANSWER = 42\n").file("tests/test_env.py", """
                import os

                def test_user_variable():
                    assert os.environ["GREETING"] == "hello wörld"

                def test_user_pythonpath():
                    import mylib
                    assert mylib.ANSWER == 42

                def test_agent_secrets_stay_out():
                    assert "CDNODES_WORKER_TOKEN" not in os.environ
                    assert "CDNODES_WORKER_NAME" not in os.environ

                def test_only_our_own_cdnodes_variables():
                    assert os.environ["CDNODES_MODE"] == "%s"
                    assert sorted(k for k in os.environ if k.startswith("CDNODES_")) == [%s]
                """.formatted(mode, ours));
        List<String> nodes = List.of("tests/test_env.py::test_user_variable", "tests/test_env.py::test_user_pythonpath",
                "tests/test_env.py::test_agent_secrets_stay_out", "tests/test_env.py::test_only_our_own_cdnodes_variables");
        PytestSessions sessions = mode.equals("run") ? PytestSessions.none() : new PytestSessions(1, Duration.ofSeconds(30));

        int exit;
        try {
            exit = fx.run(RunFixture.run(11, nodes, List.of("tests"),
                    Map.of("GREETING", "hello wörld", "PYTHONPATH", "src"), 120), sessions).execute();
        } finally {
            sessions.shutdown();
        }

        assertThat(fx.results()).extracting(TestResult::nodeId).containsExactlyElementsOf(nodes);
        assertThat(fx.results()).allSatisfy(r -> assertThat(r.outcome()).as(r.nodeId() + ": " + r.message())
                .isEqualTo(Outcome.PASSED));
        assertThat(exit).isZero();
        assertThat(fx.done()).isEqualTo(new AssignmentDone(11, 1, 0, ""));
    }
}
