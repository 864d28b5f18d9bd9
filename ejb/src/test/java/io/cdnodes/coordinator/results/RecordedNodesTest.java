package io.cdnodes.coordinator.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordedNodesTest {

    private final Map<Long, List<String>> database = new HashMap<>();
    private final List<Long> loads = new ArrayList<>();
    private final RecordedNodes nodes = new RecordedNodes(id -> {
        loads.add(id);
        return database.getOrDefault(id, List.of());
    });

    @Test
    void aProjectIsLoadedOnceAndThenKeptUpToDateByWhatIsAdded() {
        database.put(1L, List.of("a.py::x"));

        assertThat(nodes.add(1L, "a.py::x")).as("already in the database").isFalse();
        assertThat(nodes.add(1L, "a.py::y")).isTrue();
        assertThat(nodes.add(1L, "a.py::y")).as("the first result wins").isFalse();

        assertThat(nodes.of(1L)).containsExactlyInAnyOrder("a.py::x", "a.py::y");
        assertThat(loads).containsExactly(1L);
    }

    @Test
    void projectsAreSeparate() {
        nodes.add(1L, "a.py::x");

        assertThat(nodes.add(2L, "a.py::x")).isTrue();
        assertThat(nodes.of(2L)).containsExactly("a.py::x");
    }

    @Test
    void afterClearEverythingIsReadFromTheDatabaseAgain() {
        nodes.add(1L, "a.py::rolled-back");
        nodes.clear();

        assertThat(nodes.of(1L)).isEmpty();
        assertThat(loads).containsExactly(1L, 1L);
    }

    @Test
    void theLeastRecentlyUsedProjectIsDroppedAndLoadedAgainWhenItComesBack() {
        database.put(0L, List.of("kept.py::t"));
        nodes.add(0L, "new.py::t");
        for (long id = 1; id <= RecordedNodes.MAX_PROJECTS; id++) {
            nodes.of(id);
        }

        assertThat(nodes.of(RecordedNodes.MAX_PROJECTS)).isEmpty();
        assertThat(loads).hasSize(RecordedNodes.MAX_PROJECTS + 1);
        // project 0 was the eldest: dropped, so it is loaded again (and here the database never got new.py::t)
        assertThat(nodes.of(0L)).containsExactly("kept.py::t");
        assertThat(loads).hasSize(RecordedNodes.MAX_PROJECTS + 2);
    }
}
