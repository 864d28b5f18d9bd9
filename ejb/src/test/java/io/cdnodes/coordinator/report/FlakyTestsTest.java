package io.cdnodes.coordinator.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.results.TestOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlakyTestsTest {

    private static FlakyTests.Seen seen(long evaluation, String node, TestOutcome outcome) {
        return new FlakyTests.Seen(evaluation, node, outcome);
    }

    @Test
    void aTestThatPassedAndFailedAcrossEvaluationsIsFlakyAndSkipsDoNotCount() {
        FlakyTests.Report r = FlakyTests.of("shop", List.of(
                seen(1, "t.py::steady", TestOutcome.PASSED), seen(1, "t.py::wobbly", TestOutcome.PASSED),
                seen(1, "t.py::broken", TestOutcome.FAILED), seen(1, "t.py::sometimes", TestOutcome.SKIPPED),
                seen(2, "t.py::steady", TestOutcome.PASSED), seen(2, "t.py::wobbly", TestOutcome.FAILED),
                seen(2, "t.py::broken", TestOutcome.ERROR), seen(2, "t.py::sometimes", TestOutcome.PASSED),
                seen(3, "t.py::wobbly", TestOutcome.XPASSED), seen(3, "t.py::sometimes", TestOutcome.XFAILED),
                seen(4, "t.py::steady", TestOutcome.ERROR)));

        assertThat(r.project()).isEqualTo("shop");
        assertThat(r.evaluations()).isEqualTo(4);
        assertThat(r.tests()).containsExactly(
                new FlakyTests.Flaky("t.py::wobbly", 3, 2, 1, 2, "xpassed", 3),
                new FlakyTests.Flaky("t.py::steady", 3, 2, 1, 1, "error", 4));
    }

    @Test
    void noHistoryNoFlakyTests() {
        assertThat(FlakyTests.of("p", List.of()).tests()).isEmpty();
    }
}
