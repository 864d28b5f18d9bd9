package io.cdnodes.coordinator.scheduling;

import static io.cdnodes.coordinator.scheduling.Core.DYNAMIC;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.coordinator.results.TestOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What workers report counts only from the connection that holds that attempt, and only for the task's nodes; the
 * first result per node wins; a run that ends without a result for some node records it as an error.
 */
class ReportsRulesTest {

    private static final List<String> IDS = List.of("t.py::test_a", "t.py::test_b");

    private final Core core = new Core();
    private long project;

    private Decisions.Assign runOnC1() {
        core.join("c1", 1);
        core.join("c2", 1);
        core.history("p", IDS, 0.01);
        project = core.submit(1, DYNAMIC, "p").get(0);
        core.collectOn("c1", IDS);
        core.round();
        return core.lastRun("c1");
    }

    @Test
    void aResultFromAConnectionThatDoesNotHoldTheAttemptIsIgnored() {
        Decisions.Assign run = runOnC1();
        Decisions.Assign forged = new Decisions.Assign("c2", run.taskId(), run.attempt(), 1, project, "pkg-p",
                run.kind(), IDS, DYNAMIC);

        core.result(forged, "t.py::test_a", TestOutcome.PASSED, 0.01);
        core.result(run, "t.py::test_a", TestOutcome.FAILED, 0.01);
        core.flush();

        assertThat(core.results(project).get("t.py::test_a").outcome()).isEqualTo(TestOutcome.FAILED);
        assertThat(core.results(project).get("t.py::test_a").workerName()).isEqualTo("c1");
    }

    @Test
    void aResultForANodeTheTaskDoesNotHoldIsIgnored() {
        Decisions.Assign run = runOnC1();

        core.result(run, "t.py::test_smuggled", TestOutcome.PASSED, 0.01);
        core.flush();

        assertThat(core.results(project)).isEmpty();
    }

    @Test
    void anotherConnectionCannotEndSomeoneElsesAssignment() {
        Decisions.Assign run = runOnC1();

        core.apply(core.scheduler.assignmentDone("c2", run.taskId(), run.attempt(), 0, "", List.of(), core.now));

        assertThat(core.results(project)).isEmpty();
        assertThat(core.task(run.taskId()).runningOn()).isEqualTo("c1");
    }

    @Test
    void aCollectionFromAnotherConnectionAddsNothing() {
        core.join("c1", 1);
        core.join("c2", 1);
        project = core.submit(1, DYNAMIC, "p").get(0);
        core.round();
        Decisions.Assign collect = core.assigns("c1").get(0);

        core.scheduler.collected("c2", new CollectionReport(collect.taskId(), collect.attempt(),
                List.of("t.py::test_forged")));
        core.done(collect, 5);

        assertThat(core.store.projects.get(project).collectedCount()).isZero();
    }

    @Test
    void aRunThatEndsWithoutAResultForSomeNodeRecordsItAsAnError() {
        Decisions.Assign run = runOnC1();
        core.result(run, "t.py::test_a", TestOutcome.PASSED, 0.01);

        core.done(run, AssignmentDone.EXIT_TIMEOUT);

        Decisions.ResultRow b = core.results(project).get("t.py::test_b");
        assertThat(b.outcome()).isEqualTo(TestOutcome.ERROR);
        assertThat(b.message()).contains("time limit of 600 s");
        assertThat(core.results(project).get("t.py::test_a").outcome()).isEqualTo(TestOutcome.PASSED);
    }

    @Test
    void aStaleAttemptsResultsDoNotCount() {
        Decisions.Assign run = runOnC1();
        core.lose("c1");
        core.round();
        Decisions.Assign again = core.lastRun("c2");

        core.result(run, "t.py::test_a", TestOutcome.FAILED, 0.01);
        core.result(again, "t.py::test_a", TestOutcome.PASSED, 0.01);
        core.flush();

        assertThat(again.attempt()).isEqualTo(2);
        assertThat(core.results(project).get("t.py::test_a").outcome()).isEqualTo(TestOutcome.PASSED);
    }

    /** One worker, one project submitted; its collection, handed out, reports a module skipped as it is collected. */
    private Decisions.Assign collectionWithASkippedModule() {
        core.join("c1", 1);
        project = core.submit(1, DYNAMIC, "p").get(0);
        core.round();
        Decisions.Assign collect = core.assigns("c1").get(0);
        core.result(collect, "t_optional.py", TestOutcome.SKIPPED, 0);
        return collect;
    }

    @Test
    void aModuleSkippedAsItIsCollectedIsRecordedAndTheProjectStillRuns() {
        Decisions.Assign collect = collectionWithASkippedModule();

        core.collect(collect, IDS);
        core.round();

        assertThat(core.results(project)).containsKey("t_optional.py");
        assertThat(core.runs("c1")).as("a skipped module is no collection error").isNotEmpty();
    }

    @Test
    void aCollectionErrorBesideASkippedModuleEndsTheProjectCountingTheErrorAlone() {
        Decisions.Assign collect = collectionWithASkippedModule();
        core.result(collect, "t_broken.py", TestOutcome.ERROR, 0);
        core.scheduler.collected(collect.connectionId(), new CollectionReport(collect.taskId(), collect.attempt(), IDS));

        core.done(collect, 2);
        core.round();

        assertThat(core.runs("c1")).isEmpty();
        assertThat(core.store.projects.get(project).reason())
                .isEqualTo("Interrupted: 1 error during collection; as pytest does, no test was run");
    }
}
