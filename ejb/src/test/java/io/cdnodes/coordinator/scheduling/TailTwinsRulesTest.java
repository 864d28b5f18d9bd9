package io.cdnodes.coordinator.scheduling;

import static io.cdnodes.coordinator.scheduling.Core.DYNAMIC;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.results.TestOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** At the tail, an idle worker duplicates the batch with most work left; the first result per node wins. */
class TailTwinsRulesTest {

    private static final List<String> IDS = List.of("t.py::test_slow", "t.py::test_fast");

    private final Core core = new Core();
    private long project;

    /** c1 runs the slow test, c2 ran the fast one and is idle again. */
    private Decisions.Assign slowOnC1AndC2Idle() {
        core.join("c1", 1);
        core.join("c2", 1);
        core.history("p", List.of("t.py::test_slow"), 10.0);
        core.history("p", List.of("t.py::test_fast"), 1.0);
        project = core.submit(1, DYNAMIC, "p").get(0);
        core.collectOn("c1", IDS);
        core.round();
        Decisions.Assign fast = core.lastRun("c2");
        assertThat(fast.nodeIds()).containsExactly("t.py::test_fast");
        core.passAll(fast, 1.0);
        core.done(fast, 0);
        return core.lastRun("c1");
    }

    @Test
    void anIdleWorkerGetsATwinOfTheRunningBatchWithMostWorkLeft() {
        Decisions.Assign slow = slowOnC1AndC2Idle();

        core.round();

        Decisions.Assign twin = core.lastRun("c2");
        assertThat(twin.nodeIds()).containsExactly("t.py::test_slow");
        assertThat(core.task(twin.taskId()).twinOf()).isEqualTo(slow.taskId());
        assertThat(core.task(twin.taskId()).avoidWorker()).isEqualTo("c1");
    }

    @Test
    void aBatchIsNotDuplicatedOntoItsOwnWorker() {
        core.join("c1", 2);
        core.history("p", List.of("t.py::test_slow"), 10.0);
        core.history("p", List.of("t.py::test_fast"), 1.0);
        core.submit(1, DYNAMIC, "p");
        core.collectOn("c1", IDS);
        core.round();
        Decisions.Assign fast = core.runs("c1").stream().filter(a -> a.nodeIds().contains("t.py::test_fast"))
                .findFirst().orElseThrow();
        core.passAll(fast, 1.0);
        core.done(fast, 0);

        core.round();

        assertThat(core.runs("c1")).hasSize(2);
    }

    @Test
    void theFirstResultPerNodeWinsAndTheCopyLeftWithNothingIsCancelled() {
        Decisions.Assign slow = slowOnC1AndC2Idle();
        core.round();
        Decisions.Assign twin = core.lastRun("c2");

        core.result(twin, "t.py::test_slow", TestOutcome.PASSED, 4.0);
        Decisions done = core.done(twin, 0);
        core.result(slow, "t.py::test_slow", TestOutcome.FAILED, 9.0);
        core.done(slow, 1);

        assertThat(done.sends()).containsExactly(new Decisions.CancelTask("c1", slow.taskId(),
                "its twin finished first"));
        assertThat(core.results(project).get("t.py::test_slow").outcome()).isEqualTo(TestOutcome.PASSED);
        assertThat(core.results(project)).hasSize(2);
    }

    @Test
    void whatACopyMissedIsLeftToItsTwinWhileThatRuns() {
        Decisions.Assign slow = slowOnC1AndC2Idle();
        core.round();
        Decisions.Assign twin = core.lastRun("c2");

        core.done(twin, 1);
        assertThat(core.results(project)).doesNotContainKey("t.py::test_slow");
        core.result(slow, "t.py::test_slow", TestOutcome.PASSED, 9.0);
        core.done(slow, 0);

        assertThat(core.results(project).get("t.py::test_slow").outcome()).isEqualTo(TestOutcome.PASSED);
    }

    @Test
    void aResultTheTwinReportedFirstIsMarkedAsTheTwins() {
        Decisions.Assign slow = slowOnC1AndC2Idle();
        core.round();
        Decisions.Assign twin = core.lastRun("c2");

        core.result(twin, "t.py::test_slow", TestOutcome.PASSED, 2.0);
        core.done(twin, 0);
        core.result(slow, "t.py::test_slow", TestOutcome.PASSED, 9.0);

        assertThat(core.results(project).get("t.py::test_slow")).satisfies(r -> {
            assertThat(r.twin()).isTrue();
            assertThat(r.workerName()).isEqualTo("c2");
        });
    }
}
