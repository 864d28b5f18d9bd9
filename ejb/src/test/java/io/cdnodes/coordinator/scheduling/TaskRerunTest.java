package io.cdnodes.coordinator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.evaluation.TaskKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskRerunTest {

    private static final Journal J = new Journal();
    private long ids;

    private long next() {
        return ++ids;
    }

    private static final List<String> IDS = List.of("a.py::first", "a.py::second", "a.py::third");

    @Test
    void aBatchOfIndependentTestsRerunsOnlyWhatHasNoResult() {
        LiveTask t = new LiveTask(J, next(), 1, TaskKind.RUN, IDS, null, 3);
        assertThat(t.isWhole()).isFalse();
        assertThat(t.rerun(List.of("a.py::third"))).containsExactly("a.py::third");
    }

    @Test
    void aWholeBatchRerunsAllItsTestsWhenAnyIsLeftAndNothingWhenNoneIs() {
        LiveTask t = LiveTask.whole(J, next(), 1, IDS, 3);
        assertThat(t.rerun(List.of("a.py::third"))).containsExactlyElementsOf(IDS);
        assertThat(t.rerun(List.of())).isEmpty();
    }

    @Test
    void aTwinOfAWholeBatchIsWholeAndRunsEveryTest() {
        LiveTask twin = LiveTask.twin(J, next(), LiveTask.whole(J, next(), 1, IDS, 3), List.of("a.py::second", "a.py::third"), 2);
        assertThat(twin.isWhole()).isTrue();
        assertThat(twin.nodeIds()).containsExactlyElementsOf(IDS);
    }
}
