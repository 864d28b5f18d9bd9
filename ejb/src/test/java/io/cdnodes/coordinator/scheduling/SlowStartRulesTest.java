package io.cdnodes.coordinator.scheduling;

import static io.cdnodes.coordinator.scheduling.Core.DYNAMIC;
import static io.cdnodes.coordinator.scheduling.Core.nodes;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.evaluation.TaskKind;
import io.cdnodes.coordinator.evaluation.TaskState;
import io.cdnodes.coordinator.results.TestOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A project with no history starts on its collector (probation) until {@link SlowStart} tells how many pytest
 * sessions it is worth: everywhere, or a few workers (confined); its batches, cut for a guess, are joined once the
 * real mean is known.
 */
class SlowStartRulesTest {

    private final Core core = new Core();

    private Decisions.Assign blindProjectOnC1(int tests) {
        return blindProjectOnC1(tests, "p");
    }

    /** Four workers; an evaluation of these projects; the first collected on c1 and its first batch there. */
    private Decisions.Assign blindProjectOnC1(int tests, String... projects) {
        for (String c : new String[] {"c1", "c2", "c3", "c4"}) {
            core.join(c, 1);
        }
        core.submit(1, DYNAMIC, projects);
        core.collectOn("c1", nodes("t.py", tests));
        core.round();
        return core.runs("c1").get(0);
    }

    /** Its first test has run long enough to tell: on its own, the project is worth a session on every slot. */
    private void firstTestRunsLong(Decisions.Assign first) {
        core.started(first, first.nodeIds().get(0));
        core.later(0.3);
    }

    @Test
    void aProjectWithNoHistoryRunsOnlyOnItsCollectorWhileOnProbation() {
        blindProjectOnC1(40);

        assertThat(core.runs("c1")).hasSize(2);
        assertThat(core.runs("c2")).isEmpty();
        assertThat(core.runs("c3")).isEmpty();
        assertThat(core.decided).as("a look when the probe is due").anySatisfy(d -> assertThat(d.roundInMillis())
                .hasValue(Math.round((SlowStart.PROBE_SECONDS + 0.02) * 1000)));
    }

    @Test
    void aTestRunningLongEnoughSpreadsTheProjectEverywhere() {
        Decisions.Assign first = blindProjectOnC1(40);
        core.started(first, first.nodeIds().get(0));
        assertThat(core.decided.get(core.decided.size() - 1).roundInMillis()).as("a look soon after it starts")
                .hasValue(SlowStart.LOOK_MILLIS);

        core.later(0.3);
        core.round();

        assertThat(core.runs("c2")).isNotEmpty();
        assertThat(core.runs("c3")).isNotEmpty();
    }

    @Test
    void aProjectStaysOnItsCollectorWhileOtherProjectsWorkWaitsForTheOtherSlots() {
        Decisions.Assign first = blindProjectOnC1(40, "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8");
        firstTestRunsLong(first);
        core.round();
        // c2's project has no tests: c2 is free while four collections still wait
        Decisions.Assign c2 = core.assigns("c2").get(0);
        core.collect(c2, List.of());

        core.round();

        assertThat(core.runs("c2")).as("no session of p1's on c2").isEmpty();
        assertThat(core.assigns("c2")).last().extracting(Decisions.Assign::kind).isEqualTo(TaskKind.COLLECT);
    }

    @Test
    void anotherEvaluationsBacklogDoesNotKeepTheProjectToItsCollector() {
        Decisions.Assign first = blindProjectOnC1(40, "p1");
        core.submit(2, DYNAMIC, "q1", "q2", "q3", "q4", "q5", "q6");
        core.round();
        firstTestRunsLong(first);
        core.round();
        // two of the other evaluation's collections end with no tests: their workers are free
        core.collect(core.assigns("c2").get(0), List.of());
        core.collect(core.assigns("c3").get(0), List.of());

        core.round();

        assertThat(List.of(core.runs("c2"), core.runs("c3"))).as("p1 shares the freed slots with evaluation 2")
                .anySatisfy(runs -> assertThat(runs).isNotEmpty());
    }

    @Test
    void onceTheOtherWorkIsHandedOutTheProjectSpreadsAsItsRunningTells() {
        firstTestRunsLong(blindProjectOnC1(40, "p1", "p2"));

        core.round();

        assertThat(core.runs("c3")).as("one collection waiting leaves two slots free for p1").isNotEmpty();
    }

    @Test
    void enoughTinyResultsConfineTheProjectToTheSessionsItIsWorth() {
        Decisions.Assign first = blindProjectOnC1(2000);
        first.nodeIds().subList(0, BlindProjects.RESULTS_TO_LEARN)
                .forEach(n -> core.result(first, n, TestOutcome.PASSED, 0.001));
        core.flush();

        core.round();
        core.later(5);
        core.round();

        assertThat(core.runs("c2")).isEmpty();
        assertThat(core.runs("c3")).isEmpty();
        assertThat(core.runs("c4")).isEmpty();
    }

    @Test
    void aProjectThatTellsNothingInTimeSpreadsAfterTheProbe() {
        blindProjectOnC1(40);

        core.later(SlowStart.PROBE_SECONDS);
        core.round();

        assertThat(core.runs("c2")).isNotEmpty();
    }

    @Test
    void onceTheMeanIsKnownQueuedBatchesAreJoinedAsTheyAreHandedOut() {
        Decisions.Assign first = blindProjectOnC1(2000);
        int rows = core.store.tasks.size();
        first.nodeIds().forEach(n -> core.result(first, n, TestOutcome.PASSED, 0.001));
        core.done(first, 0);

        core.round();

        Decisions.Assign next = core.lastRun("c1");
        assertThat(next.nodeIds()).hasSizeGreaterThan(first.nodeIds().size());
        assertThat(core.store.tasks).hasSizeLessThan(rows);
        assertThat(core.store.tasks.values()).filteredOn(t -> t.state() != TaskState.DONE && t.id() != next.taskId())
                .allSatisfy(t -> assertThat(t.nodeIds()).doesNotContainAnyElementsOf(next.nodeIds()));
    }
}
