package io.cdnodes.coordinator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecoveryTest {

    private final Recovery recovery = new Recovery();

    @Test
    void aLostCollectionIsRedoneOnTheBackup() {
        Recovery.Plan plan = recovery.afterLoss(new Recovery.Lost(1, TaskKind.COLLECT, List.of(), null, "w1", "w2"));
        assertThat(plan).isEqualTo(new Recovery.Plan(List.of(), "w2", null, "w1", Map.of()));
        assertThat(plan.nothingToRun(TaskKind.COLLECT)).isFalse();
    }

    @Test
    void withoutARunningNodeEverythingUnrecordedGoesBack() {
        Recovery.Plan plan = recovery.afterLoss(new Recovery.Lost(1, TaskKind.RUN, List.of("a", "b"), null, "w1", null));
        assertThat(plan).isEqualTo(new Recovery.Plan(List.of("a", "b"), null, null, "w1", Map.of()));
    }

    @Test
    void aRunningNodeThatAlreadyHasAResultIsNotSuspect() {
        Recovery.Plan plan = recovery.afterLoss(new Recovery.Lost(1, TaskKind.RUN, List.of("b"), "a", "w1", "w3"));
        assertThat(plan).isEqualTo(new Recovery.Plan(List.of("b"), "w3", null, "w1", Map.of()));
    }

    @Test
    void theSuspectRunsAloneOnceThenIsBlamedWhenASecondWorkerIsLost() {
        Recovery.Plan first = recovery.afterLoss(new Recovery.Lost(7, TaskKind.RUN, List.of("a", "b", "c"), "b", "w1", "w2"));
        assertThat(first).isEqualTo(new Recovery.Plan(List.of("a", "c"), "w2", "b", "w1", Map.of()));

        Recovery.Plan second = recovery.afterLoss(new Recovery.Lost(7, TaskKind.RUN, List.of("b"), "b", "w2", null));
        assertThat(second.requeue()).isEmpty();
        assertThat(second.isolated()).isNull();
        assertThat(second.errors()).containsOnlyKeys("b");
        assertThat(second.errors().get("b")).contains("workers w1 and w2").contains("not run a third time");
        assertThat(second.nothingToRun(TaskKind.RUN)).isTrue();
        assertThat(recovery.lossesUnder(7, "b")).contains(List.of("w1", "w2"));
    }

    @Test
    void lossesAreCountedPerProject() {
        recovery.afterLoss(new Recovery.Lost(1, TaskKind.RUN, List.of("a"), "a", "w1", null));
        Recovery.Plan other = recovery.afterLoss(new Recovery.Lost(2, TaskKind.RUN, List.of("a"), "a", "w2", null));
        assertThat(other.isolated()).isEqualTo("a");
        assertThat(other.errors()).isEmpty();
    }
}
