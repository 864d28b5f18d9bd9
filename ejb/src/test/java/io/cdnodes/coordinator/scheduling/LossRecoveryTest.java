package io.cdnodes.coordinator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.evaluation.TaskKind;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LossRecoveryTest {

    private final LossRecovery recovery = new LossRecovery(new Journal());

    @Test
    void aLostCollectionIsRedoneOnTheBackup() {
        LossRecovery.Plan plan = recovery.afterLoss(new LossRecovery.Lost(1, TaskKind.COLLECT, List.of(), null, "w1", "w2"));
        assertThat(plan).isEqualTo(new LossRecovery.Plan(List.of(), "w2", null, "w1", Map.of()));
        assertThat(plan.nothingToRun(TaskKind.COLLECT)).isFalse();
    }

    @Test
    void withoutARunningNodeEverythingUnrecordedGoesBack() {
        LossRecovery.Plan plan = recovery.afterLoss(new LossRecovery.Lost(1, TaskKind.RUN, List.of("a", "b"), null, "w1", null));
        assertThat(plan).isEqualTo(new LossRecovery.Plan(List.of("a", "b"), null, null, "w1", Map.of()));
    }

    @Test
    void aRunningNodeThatAlreadyHasAResultIsNotSuspect() {
        LossRecovery.Plan plan = recovery.afterLoss(new LossRecovery.Lost(1, TaskKind.RUN, List.of("b"), "a", "w1", "w3"));
        assertThat(plan).isEqualTo(new LossRecovery.Plan(List.of("b"), "w3", null, "w1", Map.of()));
    }

    @Test
    void theSuspectRunsAloneOnceThenIsBlamedWhenASecondWorkerIsLost() {
        LossRecovery.Plan first = recovery.afterLoss(new LossRecovery.Lost(7, TaskKind.RUN, List.of("a", "b", "c"), "b", "w1", "w2"));
        assertThat(first).isEqualTo(new LossRecovery.Plan(List.of("a", "c"), "w2", "b", "w1", Map.of()));

        LossRecovery.Plan second = recovery.afterLoss(new LossRecovery.Lost(7, TaskKind.RUN, List.of("b"), "b", "w2", null));
        assertThat(second.requeue()).isEmpty();
        assertThat(second.isolated()).isNull();
        assertThat(second.errors()).containsOnlyKeys("b");
        assertThat(second.errors().get("b")).contains("workers w1 and w2").contains("not run a third time");
        assertThat(second.nothingToRun(TaskKind.RUN)).isTrue();
        assertThat(recovery.lossesUnder(7, "b")).contains(List.of("w1", "w2"));
    }

    @Test
    void lossesAreCountedPerProject() {
        recovery.afterLoss(new LossRecovery.Lost(1, TaskKind.RUN, List.of("a"), "a", "w1", null));
        LossRecovery.Plan other = recovery.afterLoss(new LossRecovery.Lost(2, TaskKind.RUN, List.of("a"), "a", "w2", null));
        assertThat(other.isolated()).isEqualTo("a");
        assertThat(other.errors()).isEmpty();
    }
}
