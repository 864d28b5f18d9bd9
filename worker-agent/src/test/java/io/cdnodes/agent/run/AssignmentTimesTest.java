package io.cdnodes.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The phases of an assignment, on a clock moved by hand; {@link ServedRunTest} sees the line of real runs. */
class AssignmentTimesTest {

    private long now;
    private final AssignmentTimes times = new AssignmentTimes(() -> now);

    private void after(long millis) {
        now += millis * 1_000_000;
    }

    /** A slot takes the assignment; its copy, then a new session's start and collection, take the given times. */
    private void newSession(AssignmentTimes.Start how, long copyMillis, long readyMillis, long collectMillis) {
        times.slotted();
        after(copyMillis);
        times.copied();
        times.startedAs(how);
        after(readyMillis);
        times.ready(now, collectMillis);
    }

    @Test
    void aNewSessionSplitsItsStartFromItsCollectionByThePluginsOwnMeasure() {
        after(5);
        newSession(AssignmentTimes.Start.COLD, 3, 500, 120);
        after(1500);

        assertThat(times.summary())
                .isEqualTo("slot 5 ms, copy 3 ms, cold start 380 ms, collection 120 ms, tests 1500 ms");
    }

    @Test
    void theSummaryStopsWhereTheAssignmentEnded() {
        times.slotted();
        times.kept();
        after(40);
        times.ended();
        after(1000);

        assertThat(times.summary()).isEqualTo("slot 0 ms, kept session, tests 40 ms");
    }

    @Test
    void aKeptSessionHasNothingToStartOrCollect() {
        times.slotted();
        after(2);
        times.kept();
        after(40);

        assertThat(times.summary()).isEqualTo("slot 0 ms, kept session, tests 40 ms");
    }

    @Test
    void aOneShotPytestIsOnePhaseAfterItsCopy() {
        times.slotted();
        after(5);
        times.oneShot();
        after(700);

        assertThat(times.summary()).isEqualTo("slot 0 ms, copy 5 ms, one-shot pytest 700 ms");
    }

    @Test
    void aSessionThatCouldNotServeIsAPhaseOfItsOwnBeforeTheOneShotPytest() {
        newSession(AssignmentTimes.Start.WARM, 4, 300, 100);
        after(10);
        times.oneShot();
        after(700);

        assertThat(times.summary())
                .isEqualTo("slot 0 ms, copy 4 ms, served attempt 310 ms (not taken), one-shot pytest 700 ms");

        AssignmentTimes afterKept = new AssignmentTimes(() -> now);
        afterKept.slotted();
        afterKept.kept();
        after(20);
        afterKept.oneShot();
        after(600);
        assertThat(afterKept.summary())
                .isEqualTo("slot 0 ms, kept session 20 ms (not taken), one-shot pytest 600 ms");
    }

    @Test
    void whatWasNotReachedIsLeftOutOrSaidSo() {
        after(7);
        assertThat(times.summary()).isEqualTo("slot 7 ms (never started)");

        times.slotted();
        assertThat(times.summary()).isEqualTo("slot 7 ms");

        times.copied();
        assertThat(times.summary()).isEqualTo("slot 7 ms, copy 0 ms, pytest not started");

        times.startedAs(AssignmentTimes.Start.COLD);
        after(30);
        assertThat(times.summary()).isEqualTo("slot 7 ms, copy 0 ms, cold start 30 ms (not ready)");
    }

    @Test
    void aCollectionLongerThanTheWholeStartCountsAsTheWholeStart() {
        times.slotted();
        times.copied();
        times.startedAs(AssignmentTimes.Start.WARM);
        after(100);
        times.ready(now, 250);

        assertThat(times.summary()).isEqualTo("slot 0 ms, copy 0 ms, warm start 0 ms, collection 100 ms, tests 0 ms");
    }
}
