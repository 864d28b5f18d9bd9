package io.cdnodes.coordinator.stats;

import io.cdnodes.coordinator.workers.ConnectedWorkers;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * One worker connected now, as {@code GET /network/nodes} answers it.
 *
 * @param address        its address, as {@code /network} names it
 * @param name           the name it gave
 * @param slots          pytest processes it runs at once
 * @param sandboxed      whether it runs every process of a project in a sandbox
 * @param python         its Python version
 * @param pytest         its pytest version
 * @param connectedSince when its session began (ISO-8601)
 * @param lastHeartbeat  when its last heartbeat arrived (ISO-8601)
 */
@JsonbPropertyOrder({"address", "name", "slots", "sandboxed", "python", "pytest", "connectedSince", "lastHeartbeat"})
public record NodeView(String address, String name, int slots, boolean sandboxed, String python, String pytest,
                       @JsonbProperty("connected_since") String connectedSince,
                       @JsonbProperty("last_heartbeat") String lastHeartbeat) {

    static NodeView of(ConnectedWorkers.Node n) {
        return new NodeView(n.address(), n.name(), n.slots(), n.sandboxed(), n.python(), n.pytest(),
                n.connectedSince().toString(), n.lastHeartbeat().toString());
    }
}
