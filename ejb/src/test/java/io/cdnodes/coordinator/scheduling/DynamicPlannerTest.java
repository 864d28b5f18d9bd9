package io.cdnodes.coordinator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DynamicPlannerTest {

    @Test
    void longestGroupsComeFirstAndEveryNodeIsPlannedExactlyOnce() {
        List<String> ids = List.of("a.py::t1", "a.py::t2", "b.py::t1", "b.py::t2", "c.py::t1");
        Map<String, Double> history = Map.of("a.py::t1", 1.0, "a.py::t2", 1.0, "b.py::t1", 10.0, "b.py::t2", 0.1,
                "c.py::t1", 3.0);
        List<DynamicPlanner.Batch> plan = DynamicPlanner.plan(ids, Granularity.TEST, new DurationEstimates(history),
                new DynamicPlanner.Shape(2, 0, 1));
        assertThat(plan.get(0).nodeIds()).containsExactly("b.py::t1");
        assertThat(plan.get(0).estimate()).isEqualTo(10.0);
        List<String> all = new ArrayList<>();
        plan.forEach(b -> all.addAll(b.nodeIds()));
        assertThat(all).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void moduleGranularityKeepsAModuleInOneBatchInCollectionOrder() {
        List<String> ids = List.of("a.py::t1", "b.py::t1", "a.py::t2", "a.py::t3");
        List<DynamicPlanner.Batch> plan = DynamicPlanner.plan(ids, Granularity.MODULE, DurationEstimates.none(),
                new DynamicPlanner.Shape(8, 0, 4));
        assertThat(plan).extracting(DynamicPlanner.Batch::nodeIds)
                .containsExactly(List.of("a.py::t1", "a.py::t2", "a.py::t3"), List.of("b.py::t1"));
    }

    @Test
    void autoKeepsTestsSharingAScopeTogetherInCollectionOrderAndSpreadsTheRest() {
        List<String> ids = List.of("a.py::t1", "a.py::first", "a.py::t2", "a.py::second", "b.py::X::t1",
                "b.py::X::t2", "b.py::free");
        Map<String, String> scopes = Map.of("a.py::first", "a.py", "a.py::second", "a.py", "b.py::X::t1", "b.py::X",
                "b.py::X::t2", "b.py::X");
        List<DynamicPlanner.Batch> plan = DynamicPlanner.plan(ids, scopes, Granularity.AUTO,
                DurationEstimates.none(), new DynamicPlanner.Shape(8, 0, 4));

        assertThat(plan).extracting(DynamicPlanner.Batch::nodeIds).containsExactlyInAnyOrder(
                List.of("a.py::first", "a.py::second"), List.of("b.py::X::t1", "b.py::X::t2"), List.of("a.py::t1"),
                List.of("a.py::t2"), List.of("b.py::free"));
        assertThat(plan).filteredOn(b -> b.nodeIds().size() > 1).allMatch(DynamicPlanner.Batch::whole);
        assertThat(plan).filteredOn(b -> b.nodeIds().size() == 1).noneMatch(DynamicPlanner.Batch::whole);
        assertThat(Granularity.AUTO.groupOf("a.py::t1", "")).isEqualTo("a.py::t1");
        // a scope can never be mistaken for a node id of a test that shares nothing
        assertThat(Granularity.AUTO.groupOf("a.py", "a.py")).isNotEqualTo(Granularity.AUTO.groupOf("a.py", ""));
    }

    @Test
    void classGranularityGroupsByClassAndLeavesFunctionsWithTheirModule() {
        assertThat(Granularity.CLASS.groupOf("t.py::TestX::test_y[1]", "")).isEqualTo("t.py::TestX");
        assertThat(Granularity.CLASS.groupOf("t.py::test_f", "")).isEqualTo("t.py");
        assertThat(Granularity.MODULE.groupOf("t.py::TestX::test_y", "")).isEqualTo("t.py");
        assertThat(Granularity.TEST.groupOf("t.py::TestX::test_y", "")).isEqualTo("t.py::TestX::test_y");
    }

    @Test
    void batchesPayForStartupButShrinkTowardsTheEnd() {
        List<String> ids = new ArrayList<>();
        Map<String, Double> history = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            ids.add("t.py::t" + i);
            history.put("t.py::t" + i, 0.1);
        }
        List<DynamicPlanner.Batch> plan = DynamicPlanner.plan(ids, Granularity.TEST, new DurationEstimates(history),
                new DynamicPlanner.Shape(4, 0.3, 4));
        // 40 s of work over 4 slots × 4 batches: the first batch aims at 2.5 s, none but the remainder below
        // 3 × start-up (0.9 s)
        assertThat(plan.get(0).nodeIds()).hasSize(25);
        assertThat(plan.subList(0, plan.size() - 1))
                .allSatisfy(b -> assertThat(b.estimate()).isGreaterThanOrEqualTo(0.9 - 1e-9));
        assertThat(plan.get(plan.size() - 1).estimate()).isLessThan(plan.get(0).estimate());
        assertThat(plan.stream().mapToInt(b -> b.nodeIds().size()).sum()).isEqualTo(400);
    }

    @Test
    void estimatesFallBackFromNodeToModuleToProjectToDefault() {
        DurationEstimates e = new DurationEstimates(Map.of("a.py::x", 2.0, "a.py::y", 4.0, "b.py::z", 9.0));
        assertThat(e.of("a.py::x")).isEqualTo(2.0);
        assertThat(e.of("a.py::new")).isEqualTo(3.0);
        assertThat(e.of("c.py::new")).isEqualTo(5.0);
        assertThat(DurationEstimates.none().of("x")).isEqualTo(DurationEstimates.UNKNOWN);
        assertThat(e.knows("a.py::x")).isTrue();
        assertThat(e.knows("a.py::new")).isFalse();
    }

    @Test
    void aSuiteTooShortToPayForASessionPerSlotGoesToFewerSlots() {
        List<String> ids = new ArrayList<>();
        Map<String, Double> history = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            ids.add("t" + (i % 40) + ".py::t" + i);
            history.put(ids.get(i), 0.0005);
        }
        DynamicPlanner.Shape shape = new DynamicPlanner.Shape(8, 0.1, 4, 1.0);

        List<DynamicPlanner.Batch> tiny = DynamicPlanner.plan(ids, Granularity.TEST, new DurationEstimates(history),
                shape);
        assertThat(tiny).as("1 s of work: one session, not eight that each collect 2000 tests").hasSize(1);

        history.replaceAll((k, v) -> 0.0021);
        List<DynamicPlanner.Batch> four = DynamicPlanner.plan(ids, Granularity.TEST, new DurationEstimates(history),
                shape);
        assertThat(four).as("4.2 s of work pays for four sessions").hasSizeBetween(4, 5);
        assertThat(four.stream().mapToInt(b -> b.nodeIds().size()).sum()).isEqualTo(2000);

        history.replaceAll((k, v) -> 0.25);
        assertThat(DynamicPlanner.plan(ids, Granularity.TEST, new DurationEstimates(history), shape))
                .as("500 s of work: every slot, several batches each").hasSizeGreaterThan(32);
    }

    @Test
    void onceTheRealMeanIsKnownBatchesCutForGuessedDurationsAreJoinedToWhatPaysForARoundTrip() {
        DynamicPlanner.Shape shape = new DynamicPlanner.Shape(8, 0.1, 4, 1.0);
        List<Integer> following = java.util.Collections.nCopies(20, 62);

        // 1 ms per test: a batch should hold at least 0.3 s of work, 300 tests
        int n = DynamicPlanner.joinable(62, following, 0.001, shape);
        assertThat(62 + 62 * n).isBetween(300 - 62, 300);

        // the guess was about right (0.25 s a test): a batch already holds its share of what is left
        assertThat(DynamicPlanner.joinable(6, java.util.Collections.nCopies(20, 6), 0.25, shape)).isZero();
        // near the tail, single tests of 0.25 s are each above the floor when joined in pairs: not joined
        assertThat(DynamicPlanner.joinable(1, List.of(1, 1, 1), 0.25, shape)).isZero();
        // tests of 0.05 s near the tail: joined up to 0.3 s
        assertThat(DynamicPlanner.joinable(1, List.of(1, 1, 1, 1, 1, 1, 1, 1), 0.05, shape)).isEqualTo(5);
        // nothing to join
        assertThat(DynamicPlanner.joinable(1, List.of(), 0.0, shape)).isZero();
    }
}
