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
 * established ones hold (unique among connected workers). Thread-safe.
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

    /** Connections open from this host (an IP address without port); 0 for null. */
    int countFromHost(String host) {
        if (host == null) {
            return 0;
        }
        return (int) connections.values().stream().filter(c -> host.equals(c.peerHost())).count();
    }

    void add(WorkerConnection connection) {
        connections.put(connection.id(), connection);
    }

    void remove(String id) {
        connections.remove(id);
        names.values().remove(id);
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
