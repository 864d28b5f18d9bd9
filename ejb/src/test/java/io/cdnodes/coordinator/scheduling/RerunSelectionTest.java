package io.cdnodes.coordinator.scheduling;

import static io.cdnodes.coordinator.scheduling.Core.DYNAMIC;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.evaluation.ProjectStatus;
import io.cdnodes.coordinator.results.TestOutcome;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A rerun's project collects as any other and runs only its selection of what it finds, in collection order. */
class RerunSelectionTest {

    private static final List<String> IDS = List.of("t.py::test_a", "t.py::test_b", "t.py::test_c", "t.py::test_d");

    @Test
    void onlyTheSelectedTestsRunAndCount() {
        Core core = new Core();
        core.join("c1", 2);
        long project = core.store.evaluation(1, DYNAMIC, "p").get(0);
        core.store.selections.put(project, Set.of("t.py::test_d", "t.py::test_b", "t.py::gone"));
        core.apply(core.scheduler.submitted(1));

        core.collectOn("c1", IDS);
        core.round();
        List<Decisions.Assign> runs = core.runs("c1");
        assertThat(runs.stream().flatMap(a -> a.nodeIds().stream()).toList())
                .containsExactly("t.py::test_b", "t.py::test_d");
        assertThat(core.store.projects.get(project).collectedCount()).isEqualTo(2);

        runs.forEach(a -> core.passAll(a, 0.01));
        runs.forEach(a -> core.done(a, 0));
        assertThat(core.results(project).keySet()).containsExactlyInAnyOrder("t.py::test_b", "t.py::test_d");
        assertThat(core.results(project).values()).allMatch(r -> r.outcome() == TestOutcome.PASSED);
        assertThat(core.store.projects.get(project).status()).isEqualTo(ProjectStatus.DONE);
    }
}
