package io.cdnodes.coordinator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdnodes.coordinator.evaluation.TaskKind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskJoinTest {

    private static final Journal J = new Journal();
    private long ids;

    private long next() {
        return ++ids;
    }

    @Test
    void aJoinedBatchHoldsBothBatchesNodesEachInItsOrderAndTheirEstimates() {
        LiveTask t = new LiveTask(J, next(), 1, TaskKind.RUN, List.of("a.py::1", "a.py::2"), null, 1.0);
        t.join(new LiveTask(J, next(), 1, TaskKind.RUN, List.of("b.py::1"), null, 0.5));

        assertThat(t.nodeIds()).containsExactly("a.py::1", "a.py::2", "b.py::1");
        assertThat(t.nodeCount()).isEqualTo(3);
        assertThat(t.estimate()).isEqualTo(1.5);
        assertThat(t.isWhole()).isFalse();
    }

    @Test
    void joiningABatchThatMustRunWholeMakesTheResultWhole() {
        LiveTask t = new LiveTask(J, next(), 1, TaskKind.RUN, List.of("a.py::1"), null, 1.0);
        t.join(LiveTask.whole(J, next(), 1, List.of("b.py::C::1", "b.py::C::2"), 1.0));

        assertThat(t.isWhole()).isTrue();
        assertThat(t.rerun(List.of("b.py::C::2"))).containsExactly("a.py::1", "b.py::C::1", "b.py::C::2");
    }

    @Test
    void onlyPlannedBatchesThatNeverRanAndAreBoundToNoWorkerJoin() {
        LiveTask ran = new LiveTask(J, next(), 1, TaskKind.RUN, List.of("a.py::1"), null, 1.0);
        ran.assign("conn-1", "w1", Instant.EPOCH);
        ran.requeue(List.of("a.py::1"));
        LiveTask bound = new LiveTask(J, next(), 1, TaskKind.RUN, List.of("b.py::1"), "w2", 1.0);
        LiveTask avoiding = new LiveTask(J, next(), 1, TaskKind.RUN, List.of("c.py::1"), null, 1.0);
        avoiding.avoid("w3");
        LiveTask collect = new LiveTask(J, next(), 1, TaskKind.COLLECT, List.of(), null, 0);

        assertThat(List.of(ran, bound, avoiding, collect)).noneMatch(LiveTask::joinable);
        assertThat(new LiveTask(J, next(), 1, TaskKind.RUN, List.of("e.py::1"), null, 1.0).joinable()).isTrue();
        LiveTask fresh = new LiveTask(J, next(), 1, TaskKind.RUN, List.of("f.py::1"), null, 1.0);
        assertThatThrownBy(() -> fresh.join(ran)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fresh.join(fresh)).isInstanceOf(IllegalArgumentException.class);
    }
}
