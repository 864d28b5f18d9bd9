package io.cdnodes.coordinator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlowStartTest {

    private static final DynamicPlanner.Shape EIGHT = new DynamicPlanner.Shape(8, 0.1, 4, 1.0);

    @Test
    void oneResultThatShowsEnoughWorkSpreadsAtOnce() {
        // 0.25 s a test, 190 left: 47 s of work, worth a session on each of 8 slots
        assertThat(SlowStart.decide(1, 0.25, 0, 190, 0.3, EIGHT)).isEqualTo(SlowStart.Decision.EVERYWHERE);
    }

    @Test
    void manyTinyResultsKeepTheProjectOnAsManySlotsAsItsWorkPaysFor() {
        // 1 ms a test, 1900 left: 1.9 s of work, one session
        assertThat(SlowStart.decide(100, 0.001, 0, 1900, 0.2, EIGHT)).isEqualTo(SlowStart.Decision.on(1));
        // 3 ms a test: 5.7 s, five sessions
        assertThat(SlowStart.decide(100, 0.003, 0.001, 1900, 0.2, EIGHT)).isEqualTo(SlowStart.Decision.on(5));
    }

    @Test
    void withTooFewResultsToTellItWaitsUntilTheProbeTimeIsOverThenSpreads() {
        assertThat(SlowStart.decide(0, 0, 0, 1900, 0.5, EIGHT)).isEqualTo(SlowStart.Decision.WAIT);
        assertThat(SlowStart.decide(3, 0.001, 0.001, 1900, 0.5, EIGHT)).isEqualTo(SlowStart.Decision.WAIT);
        assertThat(SlowStart.decide(0, 0, 0, 1900, SlowStart.PROBE_SECONDS, EIGHT))
                .isEqualTo(SlowStart.Decision.EVERYWHERE);
    }

    @Test
    void aTestStillRunningCountsWithWhatItHasTakenSoFar() {
        // no result yet, but the first test has run for 0.25 s: 194 such tests are 48 s of work
        assertThat(SlowStart.decide(0, 0, 0.25, 194, 0.3, EIGHT)).isEqualTo(SlowStart.Decision.EVERYWHERE);
        // a quick first result, then a test running for 0.3 s: at least 0.155 s a test
        assertThat(SlowStart.decide(1, 0.01, 0.3, 193, 0.4, EIGHT)).isEqualTo(SlowStart.Decision.EVERYWHERE);
        // shorter than that, a test seen running may be a tiny one whose result has not reached the coordinator
        assertThat(SlowStart.decide(0, 0, 0.1, 1990, 0.2, EIGHT)).isEqualTo(SlowStart.Decision.WAIT);
        assertThat(SlowStart.decide(1, 0.01, 0.02, 193, 0.2, EIGHT)).isEqualTo(SlowStart.Decision.WAIT);
    }

    @Test
    void otherProjectsNeedTheSlotsWhileTheirWaitingWorkFillsEverySlotButOne() {
        assertThat(SlowStart.othersNeedTheSlots(7, EIGHT)).isTrue();
        assertThat(SlowStart.othersNeedTheSlots(30, EIGHT)).isTrue();
        assertThat(SlowStart.othersNeedTheSlots(6, EIGHT)).as("a slot would stay idle").isFalse();
        assertThat(SlowStart.othersNeedTheSlots(0, EIGHT)).isFalse();
        assertThat(SlowStart.othersNeedTheSlots(5, new DynamicPlanner.Shape(1, 0.1, 4, 1.0)))
                .as("one slot: nothing to spread to").isFalse();
    }

    @Test
    void aRunningTestTellsOnceItHasRunAsLongAsTheWorkLeftNeedsForASessionOnEverySlot() {
        // 5 tests left on 2 slots of a 1 s session: a test that has run 0.4 s tells
        DynamicPlanner.Shape two = new DynamicPlanner.Shape(2, 0.1, 4, 1.0);
        assertThat(SlowStart.runningToSpread(5, two)).isEqualTo(0.4);
        assertThat(SlowStart.runningToSpread(500, two)).as("never sooner than a running test tells")
                .isEqualTo(SlowStart.RUNNING_TELLS_SECONDS);
        assertThat(SlowStart.decide(0, 0, 0.39, 5, 0.4, two)).isEqualTo(SlowStart.Decision.WAIT);
        assertThat(SlowStart.decide(0, 0, 0.4, 5, 0.45, two)).isEqualTo(SlowStart.Decision.EVERYWHERE);
    }
}
