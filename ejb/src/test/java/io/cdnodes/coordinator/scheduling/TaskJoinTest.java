package io.cdnodes.coordinator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskJoinTest {

    @Test
    void aJoinedBatchHoldsBothBatchesNodesEachInItsOrderAndTheirEstimates() {
        Task t = new Task(null, TaskKind.RUN, List.of("a.py::1", "a.py::2"), null, 1.0);
        t.join(new Task(null, TaskKind.RUN, List.of("b.py::1"), null, 0.5));

        assertThat(t.nodeIdList()).containsExactly("a.py::1", "a.py::2", "b.py::1");
        assertThat(t.nodeCount()).isEqualTo(3);
        assertThat(t.getEstimate()).isEqualTo(1.5);
        assertThat(t.isWhole()).isFalse();
    }

    @Test
    void joiningABatchThatMustRunWholeMakesTheResultWhole() {
        Task t = new Task(null, TaskKind.RUN, List.of("a.py::1"), null, 1.0);
        t.join(Task.whole(null, List.of("b.py::C::1", "b.py::C::2"), 1.0));

        assertThat(t.isWhole()).isTrue();
        assertThat(t.rerun(List.of("b.py::C::2"))).containsExactly("a.py::1", "b.py::C::1", "b.py::C::2");
    }

    @Test
    void onlyPlannedBatchesThatNeverRanAndAreBoundToNoWorkerJoin() {
        Task ran = new Task(null, TaskKind.RUN, List.of("a.py::1"), null, 1.0);
        ran.assign("conn-1", "w1", Instant.EPOCH);
        ran.requeue(List.of("a.py::1"));
        Task bound = new Task(null, TaskKind.RUN, List.of("b.py::1"), "w2", 1.0);
        Task avoiding = new Task(null, TaskKind.RUN, List.of("c.py::1"), null, 1.0);
        avoiding.avoid("w3");
        Task collect = new Task(null, TaskKind.COLLECT, List.of(), null);

        assertThat(List.of(ran, bound, avoiding, collect)).noneMatch(Task::joinable);
        assertThat(new Task(null, TaskKind.RUN, List.of("e.py::1"), null, 1.0).joinable()).isTrue();
        Task fresh = new Task(null, TaskKind.RUN, List.of("f.py::1"), null, 1.0);
        assertThatThrownBy(() -> fresh.join(ran)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fresh.join(fresh)).isInstanceOf(IllegalArgumentException.class);
    }
}
