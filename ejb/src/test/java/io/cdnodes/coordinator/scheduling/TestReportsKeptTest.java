package io.cdnodes.coordinator.scheduling;

import static io.cdnodes.coordinator.scheduling.Core.DYNAMIC;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.config.ReportLimits;
import io.cdnodes.coordinator.results.TestDetails;
import io.cdnodes.coordinator.results.TestOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What is kept of each test's report: the known keys, each text cut to the per-text limit whatever the worker sent,
 * and nothing past the evaluation's share but the phase and a line saying the report was left out.
 */
class TestReportsKeptTest {

    private static final List<String> IDS = List.of("t.py::test_a", "t.py::test_b", "t.py::test_c");

    private Core core;
    private long project;

    private Decisions.Assign run(ReportLimits limits) {
        core = new Core(new FakeStore(), limits);
        core.join("c1", 1);
        core.history("p", IDS, 0.01);
        project = core.submit(1, DYNAMIC, "p").get(0);
        core.collectOn("c1", IDS);
        core.round();
        return core.lastRun("c1");
    }

    private TestDetails details(String node) {
        return core.results(project).get(node).details();
    }

    @Test
    void aReportIsKeptWithItsKnownKeysAndEachTextCutToTheLimit() {
        Decisions.Assign run = run(new ReportLimits(100, 1_000_000));

        core.result(run, "t.py::test_a", TestOutcome.FAILED, 0.01, Map.of("phase", "call", "longrepr",
                "x".repeat(5000), "stdout", "hello\n", "property:ticket", "SHOP-1", "smuggled", "dropped"));
        core.result(run, "t.py::test_b", TestOutcome.ERROR, 0.01, Map.of("phase", "lunch"));
        core.result(run, "t.py::test_c", TestOutcome.PASSED, 0.01);
        core.flush();

        TestDetails a = details("t.py::test_a");
        assertThat(a.phase()).isEqualTo("call");
        assertThat(a.longrepr()).startsWith("x".repeat(25)).contains("characters cut by CD Nodes")
                .hasSizeLessThan(200);
        assertThat(a.stdout()).isEqualTo("hello\n");
        assertThat(a.properties()).isEqualTo(Map.of("ticket", "SHOP-1"));
        assertThat(details("t.py::test_b").phase()).as("not a phase pytest has").isNull();
        assertThat(details("t.py::test_c").isEmpty()).isTrue();
    }

    @Test
    void pastTheEvaluationsShareAReportIsLeftOutAndSaysSo() {
        Decisions.Assign run = run(new ReportLimits(1000, 100));

        core.result(run, "t.py::test_a", TestOutcome.FAILED, 0.01, Map.of("phase", "call", "longrepr",
                "a".repeat(60)));
        core.result(run, "t.py::test_b", TestOutcome.FAILED, 0.01, Map.of("phase", "teardown", "longrepr",
                "b".repeat(60), "stdout", "out"));
        core.flush();

        assertThat(details("t.py::test_a").longrepr()).isEqualTo("a".repeat(60));
        TestDetails b = details("t.py::test_b");
        assertThat(b.phase()).isEqualTo("teardown");
        assertThat(b.longrepr()).contains("report left out", "CDNODES_MAX_EVALUATION_REPORT_CHARS");
        assertThat(b.stdout()).isNull();
        assertThat(core.results(project).get("t.py::test_b").outcome()).isEqualTo(TestOutcome.FAILED);
    }
}
