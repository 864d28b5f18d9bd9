package io.cdnodes.coordinator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A collection is filled only by the connection and attempt it was handed to. */
class CollectedNodesTest {

    private final CollectedNodes nodes = new CollectedNodes("c-holder", 2, 41);

    @Test
    void theHolderAddsNodeIdsInOrderWithTheirScopes() {
        assertThat(nodes.add("c-holder", new CollectionReport(7, 2, List.of("t.py::TestX::test_a", "t.py::test_b"),
                List.of("t.py::TestX", "")))).isTrue();
        assertThat(nodes.add("c-holder", new CollectionReport(7, 2, List.of("u.py::test_c")))).isTrue();

        assertThat(nodes.ids()).containsExactly("t.py::TestX::test_a", "t.py::test_b", "u.py::test_c");
        assertThat(nodes.scopes()).containsExactly(java.util.Map.entry("t.py::TestX::test_a", "t.py::TestX"));
        assertThat(nodes.evaluationId()).isEqualTo(41);
    }

    @Test
    void anotherConnectionAddsNothingToSomeoneElsesCollection() {
        assertThat(nodes.add("c-intruder", new CollectionReport(7, 2, List.of("tests/test_evil.py::test_forged"),
                List.of("tests/test_evil.py")))).isFalse();

        assertThat(nodes.ids()).isEmpty();
        assertThat(nodes.scopes()).isEmpty();
    }

    @Test
    void anotherAttemptOfTheHolderAddsNothing() {
        assertThat(nodes.add("c-holder", new CollectionReport(7, 1, List.of("late.py::test_old")))).as("older").isFalse();
        assertThat(nodes.add("c-holder", new CollectionReport(7, 3, List.of("soon.py::test_new")))).as("later").isFalse();

        assertThat(nodes.ids()).isEmpty();
    }

    @Test
    void noneHoldsNothingAndAcceptsNoOne() {
        CollectedNodes none = CollectedNodes.none();

        assertThat(none.add("c-holder", new CollectionReport(7, 0, List.of("x.py::test")))).isFalse();
        assertThat(none.ids()).isEmpty();
    }
}
