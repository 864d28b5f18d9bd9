package io.cdnodes.coordinator.workers;

import io.cdnodes.connector.api.WorkerEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workers connected now, as {@code GET /network/nodes} shows them: who they are, whether they sandbox their
 * runs, since when they are connected and when their last heartbeat came. Written by the dispatcher as workers
 * join, beat and go; read without taking the dispatcher's lock. Thread-safe.
 */
@ApplicationScoped
public class ConnectedWorkers {

    /**
     * One connected worker.
     *
     * @param connectionId   the connection's id
     * @param address        its address as {@code /network} names it ({@code 10.0.0.5:41000}, {@code unix:pid=1234})
     * @param name           the name it gave
     * @param slots          pytest processes it runs at once
     * @param sandboxed      whether it runs every process of a project in a sandbox (its HELLO says so)
     * @param python         its Python version
     * @param pytest         its pytest version
     * @param connectedSince when its session began
     * @param lastHeartbeat  when its last HEARTBEAT arrived; its session's start before the first
     */
    public record Node(String connectionId, String address, String name, int slots, boolean sandboxed, String python,
                       String pytest, Instant connectedSince, Instant lastHeartbeat) {
    }

    private final Map<String, Node> nodes = new ConcurrentHashMap<>();

    public void joined(WorkerEvent.Connected c, Instant now) {
        nodes.put(c.connectionId(), new Node(c.connectionId(), c.remoteAddress(), c.name(), c.slots(), c.sandboxed(),
                c.pythonVersion(), c.pytestVersion(), now, now));
    }

    public void heartbeat(String connectionId, Instant at) {
        nodes.computeIfPresent(connectionId, (id, n) -> at.isAfter(n.lastHeartbeat())
                ? new Node(n.connectionId(), n.address(), n.name(), n.slots(), n.sandboxed(), n.python(), n.pytest(),
                n.connectedSince(), at) : n);
    }

    public void gone(String connectionId) {
        nodes.remove(connectionId);
    }

    /** The connected workers, longest connected first. */
    public List<Node> all() {
        return nodes.values().stream().sorted(Comparator.comparing(Node::connectedSince)
                .thenComparing(Node::connectionId)).toList();
    }
}
