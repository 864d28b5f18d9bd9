package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.results.NodeIds;
import java.util.Locale;
import java.util.Optional;

/**
 * What must stay together in one pytest process, in collection order: tests that share a fixture wider than
 * themselves (auto), single tests, the tests of one class (class-scoped fixtures set up once), or the tests of
 * one module (module-scoped fixtures, and suites whose tests depend on order).
 */
public enum Granularity {
    /**
     * Tests that share a class-, module- or package-scoped fixture (the scope the collecting worker reported
     * for each node, see COLLECTED in PROTOCOL.md) stay together; every other test goes alone. A test that
     * counts on what an earlier one left in such a fixture gets what pytest gives it, while independent tests
     * spread as finely as by test.
     */
    AUTO,
    TEST, CLASS, MODULE;

    /**
     * The key of the group a node belongs to.
     *
     * @param scope the node's shared scope as collected, empty when it shares nothing (used by {@link #AUTO})
     */
    public String groupOf(String nodeId, String scope) {
        return switch (this) {
            case AUTO -> scope == null || scope.isEmpty() ? nodeId : "\0" + scope;
            case TEST -> nodeId;
            case MODULE -> NodeIds.module(nodeId);
            case CLASS -> {
                // tests/test_a.py::TestX::test_y[1] → tests/test_a.py::TestX; a function stays with its module
                String[] parts = nodeId.split("::");
                yield parts.length > 2 ? parts[0] + "::" + parts[1] : parts[0];
            }
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Granularity> fromWireName(String s) {
        for (Granularity g : values()) {
            if (g.wireName().equals(s)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }
}
