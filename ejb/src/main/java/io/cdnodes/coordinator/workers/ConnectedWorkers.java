package io.cdnodes.coordinator.workers;

import io.cdnodes.connector.api.WorkerEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workers connected now, as {@code GET /network/nodes} shows them: who they are, whether they sandbox their
 * runs, how many of their slots are busy, whether they drain, since when they are connected and when their last
 * heartbeat came; and the workers gone in the last {@link #KEEP_GONE} (at most {@link #MAX_GONE}), with when and why,
 * so that a dashboard can show a lost worker rather than let it vanish. Written by the dispatcher as workers join,
 * beat, take and finish work, drain and go; read without taking the dispatcher's lock. Thread-safe.
 */
@ApplicationScoped
public class ConnectedWorkers {

    static final Duration KEEP_GONE = Duration.ofMinutes(10);
    static final int MAX_GONE = 64;

    /**
     * One worker.
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
     * @param busy           assignments it holds (running or queued behind its running ones)
     * @param draining       it said it is stopping: it takes no new work
     * @param goneAt         when its connection ended; null while connected
     * @param goneReason     why it ended (closed, silent, refused...); null while connected
     */
    public record Node(String connectionId, String address, String name, int slots, boolean sandboxed, String python,
                       String pytest, Instant connectedSince, Instant lastHeartbeat, int busy, boolean draining,
                       Instant goneAt, String goneReason) {

        Node withHeartbeat(Instant at) {
            return new Node(connectionId, address, name, slots, sandboxed, python, pytest, connectedSince, at, busy,
                    draining, goneAt, goneReason);
        }

        Node withBusy(int n) {
            return new Node(connectionId, address, name, slots, sandboxed, python, pytest, connectedSince,
                    lastHeartbeat, n, draining, goneAt, goneReason);
        }

        Node asDraining() {
            return new Node(connectionId, address, name, slots, sandboxed, python, pytest, connectedSince,
                    lastHeartbeat, busy, true, goneAt, goneReason);
        }

        Node gone(Instant at, String reason) {
            return new Node(connectionId, address, name, slots, sandboxed, python, pytest, connectedSince,
                    lastHeartbeat, 0, draining, at, reason);
        }
    }

    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private final Deque<Node> gone = new ArrayDeque<>();

    public void joined(WorkerEvent.Connected c, Instant now) {
        nodes.put(c.connectionId(), new Node(c.connectionId(), c.remoteAddress(), c.name(), c.slots(), c.sandboxed(),
                c.pythonVersion(), c.pytestVersion(), now, now, 0, false, null, null));
    }

    public void heartbeat(String connectionId, Instant at) {
        nodes.computeIfPresent(connectionId, (id, n) -> at.isAfter(n.lastHeartbeat()) ? n.withHeartbeat(at) : n);
    }

    /** The worker holds {@code assignments} assignments now. */
    public void busy(String connectionId, int assignments) {
        nodes.computeIfPresent(connectionId, (id, n) -> n.busy() == assignments ? n : n.withBusy(assignments));
    }

    public void draining(String connectionId) {
        nodes.computeIfPresent(connectionId, (id, n) -> n.asDraining());
    }

    /** The connection ended at {@code at} for {@code reason}: the worker is kept a while among the gone. */
    public void gone(String connectionId, Instant at, String reason) {
        Node n = nodes.remove(connectionId);
        if (n == null) {
            return;
        }
        synchronized (gone) {
            gone.addFirst(n.gone(at, reason));
            while (gone.size() > MAX_GONE) {
                gone.removeLast();
            }
        }
    }

    /** The connected workers, longest connected first. */
    public List<Node> all() {
        return nodes.values().stream().sorted(Comparator.comparing(Node::connectedSince)
                .thenComparing(Node::connectionId)).toList();
    }

    /** The workers gone since {@code now} minus {@link #KEEP_GONE}, most recently gone first. */
    public List<Node> recentlyGone(Instant now) {
        Instant since = now.minus(KEEP_GONE);
        synchronized (gone) {
            gone.removeIf(n -> n.goneAt().isBefore(since));
            return List.copyOf(gone);
        }
    }
}
