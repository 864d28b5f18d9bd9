package io.cdnodes.coordinator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskRerunTest {

    private static final List<String> IDS = List.of("a.py::first", "a.py::second", "a.py::third");

    @Test
    void aBatchOfIndependentTestsRerunsOnlyWhatHasNoResult() {
        Task t = new Task(null, TaskKind.RUN, IDS, null, 3);
        assertThat(t.isWhole()).isFalse();
        assertThat(t.rerun(List.of("a.py::third"))).containsExactly("a.py::third");
    }

    @Test
    void aWholeBatchRerunsAllItsTestsWhenAnyIsLeftAndNothingWhenNoneIs() {
        Task t = Task.whole(null, IDS, 3);
        assertThat(t.rerun(List.of("a.py::third"))).containsExactlyElementsOf(IDS);
        assertThat(t.rerun(List.of())).isEmpty();
    }

    @Test
    void aTwinOfAWholeBatchIsWholeAndRunsEveryTest() {
        Task twin = Task.twin(Task.whole(null, IDS, 3), List.of("a.py::second", "a.py::third"), 2);
        assertThat(twin.isWhole()).isTrue();
        assertThat(twin.nodeIdList()).containsExactlyElementsOf(IDS);
    }
}
