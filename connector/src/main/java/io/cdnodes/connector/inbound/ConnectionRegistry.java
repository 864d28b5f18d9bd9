package io.cdnodes.connector.inbound;

import io.cdnodes.connector.api.ConnectionInfo;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every open worker connection of the adapter, established or still in its handshake, and the names the
 * established ones hold (unique among connected workers; one per established connection). Thread-safe.
 */
final class ConnectionRegistry {

    private final Map<String, WorkerConnection> connections = new ConcurrentHashMap<>();
    /** Worker name to the id of the connection that holds it. */
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final String prefix = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

    /** A new connection id, unique across restarts of the adapter in practice. */
    String nextId() {
        return "c" + prefix + "-" + sequence.incrementAndGet();
    }

    int size() {
        return connections.size();
    }

    /**
     * What {@link Admission} weighs a new peer against: the established connections, the TCP connections still in
     * their handshake, and the connections from {@code host} (the peer's address or IPv6 /64; none for null).
     */
    Admission.Load load(String host) {
        int established = 0;
        int pending = 0;
        int fromHost = 0;
        for (WorkerConnection c : connections.values()) {
            if (!c.authenticated()) {
                pending += c.peerHost() != null ? 1 : 0;
            } else {
                established++;
            }
            fromHost += host != null && host.equals(c.peerHost()) ? 1 : 0;
        }
        return new Admission.Load(established, pending, fromHost);
    }

    void add(WorkerConnection connection) {
        connections.put(connection.id(), connection);
    }

    void remove(String id) {
        connections.remove(id);
        names.values().remove(id);
    }

    /**
     * Gives a worker name to an authenticating connection unless another holds it or {@code maxWorkers} workers are
     * connected already: checked together, so that workers finishing their handshakes at once cannot pass the cap.
     *
     * @return why not; empty when the name is the connection's now
     */
    synchronized Optional<ErrorFrame> claim(String name, String connectionId, int maxWorkers) {
        if (names.size() >= maxWorkers && !connectionId.equals(names.get(name))) {
            return Optional.of(Admission.tooMany(maxWorkers));
        }
        return claimName(name, connectionId).map(holder -> new ErrorFrame(ErrorCode.NAME_IN_USE, "a worker named "
                + name + " is connected already (conn=" + holder + "); try again once it is gone"));
    }

    /**
     * Gives a worker name to a connection unless another connection holds it.
     *
     * @return the id of the connection that holds the name already, if any
     */
    Optional<String> claimName(String name, String connectionId) {
        String holder = names.putIfAbsent(name, connectionId);
        return holder == null || holder.equals(connectionId) ? Optional.empty() : Optional.of(holder);
    }

    /** Frees the name if this connection holds it. */
    void releaseName(String name, String connectionId) {
        if (name != null) {
            names.remove(name, Objects.requireNonNull(connectionId));
        }
    }

    /** An established connection. */
    Optional<WorkerConnection> established(String id) {
        WorkerConnection c = connections.get(id);
        return c != null && c.established() ? Optional.of(c) : Optional.empty();
    }

    Optional<WorkerConnection> any(String id) {
        return Optional.ofNullable(connections.get(id));
    }

    List<ConnectionInfo> establishedInfo() {
        return connections.values().stream().filter(WorkerConnection::established).map(WorkerConnection::info)
                .sorted(Comparator.comparing(ConnectionInfo::connectionId)).toList();
    }

    void closeAll(String reason) {
        connections.values().forEach(c -> c.close(new ErrorFrame(ErrorCode.SHUTTING_DOWN, reason), reason));
    }
}
