package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.results.NodeIds;
import java.util.Locale;
import java.util.Optional;

/**
 * What must stay together in one pytest process: single tests, the tests of one class (class-scoped fixtures
 * set up once), or the tests of one module (module-scoped fixtures, and suites whose tests depend on order).
 */
public enum Granularity {
    TEST, CLASS, MODULE;

    /** The key of the group a node belongs to. */
    public String groupOf(String nodeId) {
        return switch (this) {
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
