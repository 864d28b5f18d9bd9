package io.cdnodes.connector.inbound;

import io.cdnodes.connector.api.ConnectionInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Every open worker connection of the adapter, established or still in its handshake. Thread-safe. */
final class ConnectionRegistry {

    private final Map<String, WorkerConnection> connections = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final String prefix = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

    /** A new connection id, unique across restarts of the adapter in practice. */
    String nextId() {
        return "c" + prefix + "-" + sequence.incrementAndGet();
    }

    int size() {
        return connections.size();
    }

    void add(WorkerConnection connection) {
        connections.put(connection.id(), connection);
    }

    void remove(String id) {
        connections.remove(id);
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
        connections.values().forEach(c -> c.close(
                new io.cdnodes.protocol.frame.ErrorFrame(io.cdnodes.protocol.frame.ErrorCode.SHUTTING_DOWN, reason),
                reason));
    }
}
