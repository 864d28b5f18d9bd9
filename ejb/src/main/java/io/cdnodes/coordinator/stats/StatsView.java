package io.cdnodes.coordinator.stats;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

/** The {@code /stats} answer, in exactly the shape the design gives. */
@JsonbPropertyOrder({"all", "nodes"})
public record StatsView(All all, List<Node> nodes) {

    /** Totals since the first start. */
    @JsonbPropertyOrder({"failed", "passed", "projects", "evaluations"})
    public record All(long failed, long passed, long projects, long evaluations) {
    }

    /** One connected worker and what it has run. */
    @JsonbPropertyOrder({"address", "failed", "passed", "projects", "modules", "evaluations"})
    public record Node(String address, long failed, long passed, long projects, long modules, List<Long> evaluations) {
    }
}
