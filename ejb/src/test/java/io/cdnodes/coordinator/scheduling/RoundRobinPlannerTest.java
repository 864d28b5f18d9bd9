package io.cdnodes.coordinator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdnodes.coordinator.scheduling.RoundRobinPlanner.Batch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundRobinPlannerTest {

    @Test
    void oneBatchPerModuleInCollectionOrderHandedOutInRotation() {
        List<String> ids = List.of("tests/test_a.py::test_1", "tests/test_a.py::T::test_2[x]", "tests/test_b.py::test_1",
                "tests/test_c.py::test_1", "tests/test_d.py::test_1");

        List<Batch> plan = RoundRobinPlanner.plan(ids, List.of("w1", "w2", "w3"));

        assertThat(plan).containsExactly(
                new Batch(List.of("tests/test_a.py::test_1", "tests/test_a.py::T::test_2[x]"), "w1"),
                new Batch(List.of("tests/test_b.py::test_1"), "w2"),
                new Batch(List.of("tests/test_c.py::test_1"), "w3"),
                new Batch(List.of("tests/test_d.py::test_1"), "w1"));
    }

    @Test
    void aModuleSeenAgainLaterJoinsItsFirstBatch() {
        List<Batch> plan = RoundRobinPlanner.plan(List.of("a.py::1", "b.py::1", "a.py::2"), List.of("w1", "w2"));

        assertThat(plan).containsExactly(new Batch(List.of("a.py::1", "a.py::2"), "w1"), new Batch(List.of("b.py::1"), "w2"));
    }

    @Test
    void withoutWorkersAnyWorkerMayTakeEachBatch() {
        List<Batch> plan = RoundRobinPlanner.plan(List.of("a.py::1", "b.py::1"), List.of());

        assertThat(plan).extracting(Batch::preferredWorker).containsExactly(null, null);
        assertThat(plan).extracting(Batch::nodeIds).containsExactly(List.of("a.py::1"), List.of("b.py::1"));
    }

    @Test
    void moreWorkersThanModulesLeavesSomeIdle() {
        List<Batch> plan = RoundRobinPlanner.plan(List.of("a.py::1"), List.of("w1", "w2", "w3"));

        assertThat(plan).containsExactly(new Batch(List.of("a.py::1"), "w1"));
    }

    @Test
    void nothingToPlan() {
        assertThat(RoundRobinPlanner.plan(List.of(), List.of("w1"))).isEmpty();
    }

    @Test
    void nodeIdWithoutColonsIsItsOwnModule() {
        List<Batch> plan = RoundRobinPlanner.plan(List.of("tests/test_a.py", "tests/test_a.py::t"), List.of("w"));

        assertThat(plan).containsExactly(new Batch(List.of("tests/test_a.py", "tests/test_a.py::t"), "w"));
    }

    @Test
    void batchesCopyTheirIds() {
        List<String> ids = new ArrayList<>(List.of("a.py::1"));
        Batch b = new Batch(ids, "w");
        ids.add("a.py::2");

        assertThat(b.nodeIds()).containsExactly("a.py::1");
        assertThatThrownBy(() -> b.nodeIds().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
