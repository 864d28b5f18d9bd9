package io.cdnodes.coordinator.scheduling;

import static io.cdnodes.coordinator.scheduling.Core.DYNAMIC;
import static io.cdnodes.coordinator.scheduling.Core.ROUND_ROBIN;
import static io.cdnodes.coordinator.scheduling.Core.nodes;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.evaluation.TaskKind;
import io.cdnodes.coordinator.evaluation.TaskState;
import io.cdnodes.coordinator.results.NodeIds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who runs what: the collector first, evaluations in turn, longest first, queued ahead, round-robin, backups. */
class HandOutTest {

    private final Core core = new Core();

    @Test
    void theCollectorTakesItsProjectsFirstBatch() {
        core.join("c1", 1);
        core.join("c2", 1);
        core.history("p", nodes("t.py", 20), 1.0);
        core.submit(1, DYNAMIC, "p");
        Decisions.Assign collect = core.collectOn("c1", nodes("t.py", 20));

        Decisions round = core.round();

        Decisions.Assign first = (Decisions.Assign) round.sends().stream()
                .filter(s -> s instanceof Decisions.Assign).findFirst().orElseThrow();
        assertThat(first.connectionId()).isEqualTo(collect.connectionId());
        assertThat(first.kind()).isEqualTo(TaskKind.RUN);
    }

    @Test
    void withinAnEvaluationTheLongestEstimateGoesFirst() {
        core.join("c1", 1);
        List<String> ids = new ArrayList<>(nodes("t.py", 10));
        ids.add("t.py::test_long");
        core.history("p", nodes("t.py", 10), 0.5);
        core.history("p", List.of("t.py::test_long"), 30.0);
        core.submit(1, DYNAMIC, "p");
        core.collectOn("c1", ids);

        core.round();

        assertThat(core.runs("c1").get(0).nodeIds()).containsExactly("t.py::test_long");
    }

    @Test
    void evaluationsTakeTurnsSoThatNoneStarves() {
        core.join("c1", 1);
        core.join("c2", 1);
        core.history("p1", nodes("a.py", 40), 1.0);
        core.history("p2", nodes("b.py", 40), 1.0);
        core.submit(1, DYNAMIC, "p1");
        core.submit(2, DYNAMIC, "p2");
        core.round();
        core.assigns().forEach(a -> core.collect(a, a.evaluationId() == 1 ? nodes("a.py", 40) : nodes("b.py", 40)));
        core.join("c3", 1);
        core.join("c4", 1);
        int before = core.assigns().size();

        core.round();

        List<Long> served = core.assigns().subList(before, core.assigns().size()).stream()
                .map(Decisions.Assign::evaluationId).toList();
        assertThat(served).hasSize(8);
        for (int i = 3; i < served.size(); i++) {
            // after the two collectors' first batches, each pick takes the other evaluation
            assertThat(served.get(i)).as("pick %d of %s", i, served).isNotEqualTo(served.get(i - 1));
        }
    }

    @Test
    void busyWorkersQueueOneBatchPerSlotAheadWhileMoreIsPendingThanSlots() {
        core.join("c1", 2);
        core.history("p", nodes("t.py", 40), 1.0);
        core.submit(1, DYNAMIC, "p");
        core.collectOn("c1", nodes("t.py", 40));

        core.round();

        assertThat(core.runs("c1")).hasSize(4);
    }

    @Test
    void nearTheTailNothingIsQueuedAheadOfRunningWork() {
        core.join("c1", 1);
        core.join("c2", 1);
        core.history("p", nodes("t.py", 3), 10.0);
        core.submit(1, DYNAMIC, "p");
        core.collectOn("c1", nodes("t.py", 3));

        core.round();

        assertThat(core.runs("c1")).hasSize(1);
        assertThat(core.runs("c2")).hasSize(1);
        assertThat(core.store.tasks.values()).filteredOn(t -> t.state() == TaskState.PENDING).hasSize(1);
    }

    @Test
    void roundRobinBatchesGoToTheWorkerTheirModuleWasDealtTo() {
        core.join("c1", 1);
        core.join("c2", 1);
        List<String> ids = new ArrayList<>();
        for (String m : List.of("a.py", "b.py", "c.py", "d.py")) {
            ids.addAll(nodes(m, 3));
        }
        core.submit(1, ROUND_ROBIN, "p");
        core.collectOn("c1", ids);

        core.round();

        assertThat(core.runs("c1")).isNotEmpty().allSatisfy(a -> assertThat(NodeIds.module(a.nodeIds().get(0)))
                .isIn("a.py", "c.py"));
        assertThat(core.runs("c2")).isNotEmpty().allSatisfy(a -> assertThat(NodeIds.module(a.nodeIds().get(0)))
                .isIn("b.py", "d.py"));
    }

    @Test
    void everyAssignmentNamesABackupThatGetsThePackageAhead() {
        core.join("c1", 1);
        core.join("c2", 1);
        core.submit(1, DYNAMIC, "p");

        Decisions round = core.round();

        assertThat(round.sends()).containsExactly(new Decisions.DeliverPackage("c1", "pkg-p"),
                round.sends().get(1), new Decisions.DeliverPackage("c2", "pkg-p"));
        Decisions.Assign collect = (Decisions.Assign) round.sends().get(1);
        assertThat(core.task(collect.taskId()).backupWorker()).isEqualTo("c2");
        assertThat(round.backups()).containsExactly(new Decisions.Backup(collect.taskId(), "c1", "c2"));
    }

    @Test
    void aPackageAWorkerHoldsIsNotSentAgain() {
        core.join("c1", 1);
        core.submit(1, DYNAMIC, "p");
        core.collectOn("c1", nodes("t.py", 3));
        int packages = (int) core.sent.stream().filter(s -> s instanceof Decisions.DeliverPackage).count();

        core.round();

        assertThat(core.sent.stream().filter(s -> s instanceof Decisions.DeliverPackage)).hasSize(packages);
        assertThat(core.runs("c1")).isNotEmpty();
    }
}
