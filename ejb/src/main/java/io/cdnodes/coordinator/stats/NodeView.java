package io.cdnodes.coordinator.stats;

import io.cdnodes.coordinator.workers.ConnectedWorkers;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * One worker, as {@code GET /network/nodes} answers it.
 *
 * @param address        its address, as {@code /network} names it
 * @param name           the name it gave
 * @param slots          pytest processes it runs at once
 * @param sandboxed      whether it runs every process of a project in a sandbox
 * @param python         its Python version
 * @param pytest         its pytest version
 * @param connectedSince when its session began (ISO-8601)
 * @param lastHeartbeat  when its last heartbeat arrived (ISO-8601)
 * @param state          {@code idle}, {@code busy} (it holds assignments), {@code draining} (stopping: no new work)
 *                       or {@code gone} (its connection ended: only with {@code ?recent=true})
 * @param busy           assignments it holds (running, or queued behind its running ones)
 * @param goneAt         when its connection ended (ISO-8601); only for a gone worker
 * @param reason         why it ended; only for a gone worker
 */
@JsonbPropertyOrder({"address", "name", "slots", "sandboxed", "python", "pytest", "connectedSince", "lastHeartbeat",
        "state", "busy", "goneAt", "reason"})
public record NodeView(String address, String name, int slots, boolean sandboxed, String python, String pytest,
                       @JsonbProperty("connected_since") String connectedSince,
                       @JsonbProperty("last_heartbeat") String lastHeartbeat, String state, int busy,
                       @JsonbProperty("gone_at") String goneAt, String reason) {

    static NodeView of(ConnectedWorkers.Node n) {
        String state = n.goneAt() != null ? "gone" : n.draining() ? "draining" : n.busy() > 0 ? "busy" : "idle";
        return new NodeView(n.address(), n.name(), n.slots(), n.sandboxed(), n.python(), n.pytest(),
                n.connectedSince().toString(), n.lastHeartbeat().toString(), state, n.busy(),
                n.goneAt() == null ? null : n.goneAt().toString(), n.goneReason());
    }
}
