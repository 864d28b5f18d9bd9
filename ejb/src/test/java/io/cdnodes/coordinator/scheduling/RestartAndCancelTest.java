package io.cdnodes.coordinator.scheduling;

import static io.cdnodes.coordinator.scheduling.Core.DYNAMIC;
import static io.cdnodes.coordinator.scheduling.Core.nodes;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.evaluation.EvaluationStatus;
import io.cdnodes.coordinator.evaluation.ProjectStatus;
import io.cdnodes.coordinator.evaluation.TaskKind;
import io.cdnodes.coordinator.evaluation.TaskState;
import io.cdnodes.coordinator.results.TestOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Coordinator restart recovery, and cancelling an evaluation. */
class RestartAndCancelTest {

    private static final List<String> IDS = List.of("t.py::test_a", "t.py::test_b", "t.py::test_c");

    private final Core core = new Core();

    @Test
    void tasksLeftRunningByAStoppedCoordinatorGoBackToTheQueueWithWhatIsLeftToRun() {
        core.join("c1", 1);
        core.history("p", IDS, 0.01);
        core.submit(1, DYNAMIC, "p");
        core.collectOn("c1", IDS);
        core.round();
        Decisions.Assign run = core.lastRun("c1");
        core.result(run, "t.py::test_a", TestOutcome.PASSED, 0.01);
        core.flush();

        core.restart();

        TaskRow t = core.task(run.taskId());
        assertThat(t.state()).isEqualTo(TaskState.PENDING);
        assertThat(t.nodeIds()).containsExactly("t.py::test_b", "t.py::test_c");
        core.join("c9", 1);
        core.round();
        assertThat(core.lastRun("c9").taskId()).isEqualTo(run.taskId());
        assertThat(core.lastRun("c9").attempt()).isEqualTo(2);
    }

    @Test
    void aQueuedProjectWhoseCollectionWasNeverMadeGetsOneAtStart() {
        long project = core.store.evaluation(1, DYNAMIC, "p").get(0);

        core.restart();

        assertThat(core.store.tasks.values()).singleElement().satisfies(t -> {
            assertThat(t.projectId()).isEqualTo(project);
            assertThat(t.kind()).isEqualTo(TaskKind.COLLECT);
        });
    }

    @Test
    void newTasksAreNumberedAfterTheHighestStoredId() {
        core.store.tasks.put(500L, new TaskRow(500, 1, TaskKind.RUN, TaskState.DONE, 1, List.of(), null, null, null,
                null, null, null, 0, null, false, false, null, false));
        core.restart();

        core.submit(1, DYNAMIC, "p");

        assertThat(core.store.tasks.keySet()).containsExactly(500L, 501L);
    }

    @Test
    void cancellingStopsRunningTasksDropsQueuedOnesAndEndsUnfinishedProjects() {
        core.join("c1", 1);
        core.history("p", nodes("t.py", 40), 1.0);
        long project = core.submit(1, DYNAMIC, "p").get(0);
        core.collectOn("c1", nodes("t.py", 40));
        core.round();
        Decisions.Assign running = core.runs("c1").get(0);

        Decisions d = core.apply(core.scheduler.cancel(1, List.of(), core.now));

        assertThat(d.sends()).contains(new Decisions.CancelTask("c1", running.taskId(), "the evaluation was cancelled"));
        assertThat(d.finished()).containsExactly(1L);
        assertThat(core.store.tasks.values()).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.DONE));
        assertThat(core.store.projects.get(project).status()).isEqualTo(ProjectStatus.CANCELLED);
        assertThat(core.store.evaluationRow(1).status()).isEqualTo(EvaluationStatus.CANCELLED);
        core.done(running, -4);
        assertThat(core.results(project)).isEmpty();
        assertThat(core.scheduler.cancel(1, List.of(), core.now).finished()).as("cancelled twice").isEmpty();
    }

    @Test
    void anEvaluationEndsDoneWhenItsProjectsHaveRunAndFailedWhenNoneCould() {
        core.join("c1", 1);
        core.history("p", IDS, 0.01);
        long ran = core.submit(1, DYNAMIC, "p").get(0);
        core.collectOn("c1", IDS);
        core.round();
        Decisions.Assign run = core.lastRun("c1");
        core.passAll(run, 0.01);
        Decisions last = core.done(run, 0);

        assertThat(last.finished()).containsExactly(1L);
        assertThat(core.store.projects.get(ran).status()).isEqualTo(ProjectStatus.DONE);
        assertThat(core.store.evaluationRow(1).status()).isEqualTo(EvaluationStatus.DONE);

        core.submit(2, DYNAMIC, "q");
        core.round();
        Decisions failed = core.done(core.assigns("c1").get(core.assigns("c1").size() - 1), 4);
        assertThat(failed.finished()).containsExactly(2L);
        assertThat(core.store.evaluationRow(2).status()).isEqualTo(EvaluationStatus.FAILED);
    }
}
