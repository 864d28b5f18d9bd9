package io.cdnodes.coordinator.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SlowestTestsTest {

    private static SlowestTests.Seen seen(long evaluation, String node, double seconds) {
        return new SlowestTests.Seen(evaluation, "2026-12-0" + evaluation + "T10:00:00Z", node, "passed", seconds);
    }

    @Test
    void testsAreRankedByTheirLastDurationWithEveryRunKept() {
        SlowestTests.Report r = SlowestTests.of("p", List.of(seen(1, "a", 9.0), seen(1, "b", 1.0), seen(1, "c", 2.0),
                seen(2, "a", 0.5), seen(2, "b", 3.0)), 2);

        assertThat(r.evaluations()).isEqualTo(2);
        assertThat(r.tests()).extracting(SlowestTests.Test::nodeId).containsExactly("b", "c");
        SlowestTests.Test b = r.tests().get(0);
        assertThat(b.last()).isEqualTo(3.0);
        assertThat(b.mean()).isEqualTo(2.0);
        assertThat(b.runs()).extracting(SlowestTests.Run::evaluation).containsExactly(1L, 2L);
    }

    @Test
    void fewerTestsThanAskedForAreAllListed() {
        assertThat(SlowestTests.of("p", List.of(seen(1, "a", 1.0)), 20).tests()).hasSize(1);
        assertThat(SlowestTests.of("p", List.of(), 20).tests()).isEmpty();
    }
}
