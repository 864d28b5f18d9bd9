package io.cdnodes.coordinator.scheduling;

import static io.cdnodes.coordinator.scheduling.Core.DYNAMIC;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.evaluation.ProjectStatus;
import io.cdnodes.coordinator.evaluation.TaskState;
import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.coordinator.results.TestOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A lost worker's tasks: what has no result goes back to the queue, to the backup first; the test that was running
 * is retried alone elsewhere and blamed once a second worker is lost under it; whole batches rerun whole; a draining
 * worker hands back what it did not start.
 */
class WorkerLossRulesTest {

    private static final List<String> IDS = List.of("t.py::test_a", "t.py::test_b", "t.py::test_c");

    private final Core core = new Core();
    private long project;

    /** One batch of the three tests, running on c2 (joined first: the collector), backed up by c3. */
    private Decisions.Assign batchOnC2() {
        core.join("c2", 1);
        core.join("c3", 1);
        core.join("c1", 1);
        core.history("p", IDS, 0.01);
        project = core.submit(1, DYNAMIC, "p").get(0);
        core.collectOn("c2", IDS);
        core.round();
        Decisions.Assign run = core.lastRun("c2");
        assertThat(run.nodeIds()).containsExactlyElementsOf(IDS);
        assertThat(core.task(run.taskId()).backupWorker()).isEqualTo("c3");
        return run;
    }

    @Test
    void whatALostWorkerLeftGoesBackToTheQueueForItsBackupFirst() {
        Decisions.Assign run = batchOnC2();
        core.result(run, "t.py::test_a", TestOutcome.PASSED, 0.01);

        core.lose("c2");
        core.round();

        Decisions.Assign again = core.lastRun("c3");
        assertThat(again.taskId()).isEqualTo(run.taskId());
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.nodeIds()).containsExactly("t.py::test_b", "t.py::test_c");
        assertThat(core.runs("c1")).isEmpty();
    }

    @Test
    void theTestRunningWhenItsWorkerWasLostIsRetriedAloneOnAnotherWorker() {
        Decisions.Assign run = batchOnC2();
        core.result(run, "t.py::test_a", TestOutcome.PASSED, 0.01);
        core.started(run, "t.py::test_b");

        core.lose("c2");

        assertThat(core.task(run.taskId()).nodeIds()).containsExactly("t.py::test_c");
        assertThat(core.store.tasks.values()).filteredOn(t -> t.nodeIds().equals(List.of("t.py::test_b")))
                .singleElement().satisfies(t -> {
                    assertThat(t.avoidWorker()).isEqualTo("c2");
                    assertThat(t.state()).isEqualTo(TaskState.PENDING);
                });
    }

    @Test
    void aTestUnderWhichTwoWorkersWereLostIsRecordedAsAnErrorInsteadOfRunningAThirdTime() {
        Decisions.Assign run = batchOnC2();
        core.started(run, "t.py::test_b");
        core.lose("c2");
        core.round();
        Decisions.Assign alone = core.assigns().stream().filter(a -> a.nodeIds().equals(List.of("t.py::test_b")))
                .findFirst().orElseThrow();
        assertThat(alone.connectionId()).isNotEqualTo("c2");
        core.started(alone, "t.py::test_b");

        core.lose(alone.connectionId());

        Decisions.ResultRow error = core.results(project).get("t.py::test_b");
        assertThat(error.outcome()).isEqualTo(TestOutcome.ERROR);
        assertThat(error.message()).contains("c2").contains(alone.connectionId()).contains("not run a third time");
    }

    @Test
    void aWholeBatchLeftUnfinishedRunsAllItsTestsAgainAndKeepsTheFirstResults() {
        core.join("c1", 1);
        core.join("c2", 1);
        project = core.submit(1, DYNAMIC, "p").get(0);
        core.round();
        core.collectScoped(core.assigns("c1").get(0), IDS, List.of("t.py", "t.py", "t.py"));
        core.round();
        Decisions.Assign run = core.lastRun("c1");
        assertThat(core.task(run.taskId()).whole()).isTrue();
        core.result(run, "t.py::test_a", TestOutcome.PASSED, 0.01);

        core.lose("c1");
        core.round();
        Decisions.Assign again = core.lastRun("c2");
        core.result(again, "t.py::test_a", TestOutcome.FAILED, 0.01);
        core.result(again, "t.py::test_b", TestOutcome.PASSED, 0.01);
        core.result(again, "t.py::test_c", TestOutcome.PASSED, 0.01);
        core.done(again, 1);

        assertThat(again.nodeIds()).containsExactlyElementsOf(IDS);
        assertThat(core.results(project).get("t.py::test_a").outcome()).isEqualTo(TestOutcome.PASSED);
        assertThat(core.results(project)).hasSize(3);
    }

    @Test
    void aDrainingWorkerTakesNoNewWorkAndHandsBackWhatItDidNotStart() {
        Decisions.Assign run = batchOnC2();
        core.result(run, "t.py::test_a", TestOutcome.PASSED, 0.01);
        core.apply(core.scheduler.draining("c2", "stopping"));

        core.done(run, AssignmentDone.EXIT_DRAINED);
        core.round();

        assertThat(core.runs("c2")).hasSize(1);
        assertThat(core.lastRun("c3").nodeIds()).containsExactly("t.py::test_b", "t.py::test_c");
        assertThat(core.results(project)).containsOnlyKeys("t.py::test_a");
    }

    @Test
    void aTaskWhoseWorkerLackedThePackageGoesBackUntilItsRetriesRunOut() {
        core.join("c1", 1);
        project = core.submit(1, DYNAMIC, "p").get(0);
        for (int attempt = 1; attempt <= 3; attempt++) {
            core.round();
            Decisions.Assign collect = core.assigns("c1").get(attempt - 1);
            assertThat(collect.attempt()).isEqualTo(attempt);
            assertThat(core.sent).filteredOn(s -> s instanceof Decisions.DeliverPackage).hasSize(attempt);
            core.done(collect, AssignmentDone.EXIT_PACKAGE_MISSING);
        }

        assertThat(core.store.projects.get(project).status()).isEqualTo(ProjectStatus.FAILED);
        assertThat(core.store.projects.get(project).reason()).contains("could not be delivered");
        assertThat(core.store.evaluationRow(1).status().terminal()).isTrue();
    }
}
