package io.cdnodes.coordinator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.scheduling.TaskOutcomes.Collection;
import io.cdnodes.coordinator.scheduling.TaskOutcomes.Next;
import io.cdnodes.protocol.frame.AssignmentDone;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskOutcomesTest {

    private static final List<String> IDS = List.of("t.py::a", "t.py::b");
    private static final List<String> NO_ARGS = List.of();

    @Test
    void collectedTestsRun() {
        assertThat(TaskOutcomes.afterCollect(0, "", IDS, 0, NO_ARGS)).isEqualTo(new Collection(Next.RUN, null));
    }

    @Test
    void nothingCollectedIsDone() {
        assertThat(TaskOutcomes.afterCollect(0, "", List.of(), 0, NO_ARGS))
                .isEqualTo(new Collection(Next.DONE, "no tests collected"));
        assertThat(TaskOutcomes.afterCollect(5, "", List.of(), 0, NO_ARGS))
                .isEqualTo(new Collection(Next.DONE, "no tests collected"));
    }

    @Test
    void collectionErrorsStopTheRunAsPytestDoes() {
        assertThat(TaskOutcomes.afterCollect(2, "errors", IDS, 1, NO_ARGS)).isEqualTo(new Collection(Next.DONE,
                "Interrupted: 1 error during collection; as pytest does, no test was run"));
        assertThat(TaskOutcomes.afterCollect(2, "errors", IDS, 3, NO_ARGS)).isEqualTo(new Collection(Next.DONE,
                "Interrupted: 3 errors during collection; as pytest does, no test was run"));
    }

    @Test
    void aCollectionThatPytestEndedWellHadNoErrorsWhateverWasRecorded() {
        // a collection run again after a restart finds its skipped module recorded already
        assertThat(TaskOutcomes.afterCollect(0, "", IDS, 1, NO_ARGS)).isEqualTo(new Collection(Next.RUN, null));
        assertThat(TaskOutcomes.afterCollect(5, "", List.of(), 1, NO_ARGS))
                .isEqualTo(new Collection(Next.DONE, "no tests collected"));
    }

    @Test
    void continueOnCollectionErrorsRunsWhatWasCollected() {
        List<String> args = List.of("-q", "--continue-on-collection-errors");

        assertThat(TaskOutcomes.afterCollect(1, "", IDS, 2, args)).isEqualTo(new Collection(Next.RUN, null));
        assertThat(TaskOutcomes.afterCollect(1, "", List.of(), 2, args).next()).isEqualTo(Next.DONE);
    }

    @Test
    void pytestErrorsFailTheProjectWithItsText() {
        assertThat(TaskOutcomes.afterCollect(3, "INTERNALERROR> boom", IDS, 0, NO_ARGS)).isEqualTo(
                new Collection(Next.FAILED, "pytest internal error during collection:\nINTERNALERROR> boom"));
        assertThat(TaskOutcomes.afterCollect(4, "unrecognized arguments: --bad", List.of(), 0, NO_ARGS)).isEqualTo(
                new Collection(Next.FAILED, "pytest usage error (check the pytest arguments):\nunrecognized arguments: --bad"));
        assertThat(TaskOutcomes.afterCollect(2, "KeyboardInterrupt", IDS, 0, NO_ARGS)).isEqualTo(
                new Collection(Next.FAILED, "pytest was interrupted during collection:\nKeyboardInterrupt"));
    }

    @Test
    void agentCodesFailTheProject() {
        assertThat(TaskOutcomes.afterCollect(AssignmentDone.EXIT_TIMEOUT, "", IDS, 0, NO_ARGS)).isEqualTo(
                new Collection(Next.FAILED, "collection was stopped at its time limit"));
        assertThat(TaskOutcomes.afterCollect(AssignmentDone.EXIT_NOT_STARTED, "python: not found", IDS, 0, NO_ARGS))
                .isEqualTo(new Collection(Next.FAILED, "pytest could not be started\npython: not found"));
        assertThat(TaskOutcomes.afterCollect(AssignmentDone.EXIT_CANCELLED, null, IDS, 0, NO_ARGS)).isEqualTo(
                new Collection(Next.FAILED, "collection was cancelled"));
        assertThat(TaskOutcomes.afterCollect(1, "  ", IDS, 0, NO_ARGS)).isEqualTo(
                new Collection(Next.FAILED, "pytest ended collection with exit code 1"));
        assertThat(TaskOutcomes.afterCollect(139, "Segmentation fault", IDS, 0, NO_ARGS)).isEqualTo(
                new Collection(Next.FAILED, "pytest ended collection with exit code 139\nSegmentation fault"));
    }

    @Test
    void missingResultMessages() {
        Duration limit = Duration.ofMinutes(30);

        assertThat(TaskOutcomes.missingResultMessage(AssignmentDone.EXIT_TIMEOUT, "", limit))
                .isEqualTo("not finished: the pytest process was stopped at its time limit of 1800 s");
        assertThat(TaskOutcomes.missingResultMessage(AssignmentDone.EXIT_CANCELLED, "", limit))
                .isEqualTo("no result reported: the run was cancelled");
        assertThat(TaskOutcomes.missingResultMessage(AssignmentDone.EXIT_NOT_STARTED, "no python", limit))
                .isEqualTo("no result reported: pytest could not be started\nno python");
        assertThat(TaskOutcomes.missingResultMessage(1, "Fatal Python error", limit))
                .isEqualTo("no result reported: pytest ended the run with exit code 1\nFatal Python error");
    }
}
