package io.cdnodes.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.Outcome;
import io.cdnodes.protocol.frame.TestResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a pytest process sees of its environment. Surefire starts this JVM with CDNODES_WORKER_TOKEN and
 * CDNODES_WORKER_NAME set (see the pom), as a real worker has them: they must not reach the tests.
 */
class PytestRunEnvironmentTest {

    @TempDir
    Path tmp;

    @Test
    void userVariablesReachTheTestsAndTheAgentsOwnDoNot() throws Exception {
        assertThat(System.getenv("CDNODES_WORKER_TOKEN")).as("set by surefire").isEqualTo("agent-token-for-tests");
        assertThat(System.getenv("CDNODES_WORKER_NAME")).as("set by surefire").isEqualTo("agent-under-test");
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
                    assert os.environ["CDNODES_MODE"] == "run"
                    assert sorted(k for k in os.environ if k.startswith("CDNODES_")) == [
                        "CDNODES_MAX_MESSAGE", "CDNODES_MODE", "CDNODES_REPORT", "CDNODES_SELECT", "CDNODES_STOP"]
                """);
        List<String> nodes = List.of("tests/test_env.py::test_user_variable", "tests/test_env.py::test_user_pythonpath",
                "tests/test_env.py::test_agent_secrets_stay_out", "tests/test_env.py::test_only_our_own_cdnodes_variables");

        int exit = fx.run(RunFixture.run(11, nodes, List.of("tests"),
                Map.of("GREETING", "hello wörld", "PYTHONPATH", "src"), 120)).execute();

        assertThat(fx.results()).extracting(TestResult::nodeId).containsExactlyElementsOf(nodes);
        assertThat(fx.results()).allSatisfy(r -> assertThat(r.outcome()).as(r.nodeId() + ": " + r.message())
                .isEqualTo(Outcome.PASSED));
        assertThat(exit).isZero();
        assertThat(fx.done()).isEqualTo(new AssignmentDone(11, 1, 0, ""));
    }
}
