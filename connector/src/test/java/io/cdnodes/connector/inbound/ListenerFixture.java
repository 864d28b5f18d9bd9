package io.cdnodes.connector.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cdnodes.connector.api.Transport;
import io.cdnodes.connector.api.WorkerEvent;
import io.cdnodes.protocol.codec.CodecLimits;
import io.cdnodes.protocol.session.SessionTimeouts;
import io.cdnodes.protocol.session.WorkerToken;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * One real listener (TCP on 127.0.0.1 port 0, or a Unix socket under /tmp) with a recording event sink, the
 * clients connected to it, and a close that proves every thread it started has ended.
 */
final class ListenerFixture implements AutoCloseable {

    static final String TOKEN = "s3cret-token";

    /** The settings a test varies; the rest is fixed. */
    record Knobs(SessionTimeouts timeouts, CodecLimits limits, int maxConnections, long sendQueueBytes,
                 int chunkBytes, boolean requireSandbox) {

        static Knobs defaults() {
            return new Knobs(new SessionTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(5),
                    Duration.ofSeconds(30)), CodecLimits.defaults(), 16, 1024 * 1024, 64 * 1024, false);
        }

        Knobs timeouts(long handshakeMs, long heartbeatMs, long idleMs, long stalledMs) {
            return new Knobs(new SessionTimeouts(Duration.ofMillis(handshakeMs), Duration.ofMillis(heartbeatMs),
                    Duration.ofMillis(idleMs), Duration.ofMillis(stalledMs)), limits, maxConnections, sendQueueBytes,
                    chunkBytes, requireSandbox);
        }

        Knobs maxConnections(int n) {
            return new Knobs(timeouts, limits, n, sendQueueBytes, chunkBytes, requireSandbox);
        }

        Knobs sendQueueBytes(long n) {
            return new Knobs(timeouts, limits, maxConnections, n, chunkBytes, requireSandbox);
        }

        Knobs maxPayloadBytes(int n) {
            return new Knobs(timeouts, limits.withMaxPayloadBytes(n), maxConnections, sendQueueBytes, chunkBytes,
                    requireSandbox);
        }

        Knobs requiringSandbox() {
            return new Knobs(timeouts, limits, maxConnections, sendQueueBytes, chunkBytes, true);
        }
    }

    final ConnectionRegistry registry = new ConnectionRegistry();
    final List<WorkerEvent> events = new CopyOnWriteArrayList<>();
    /** Runs on the reader thread after each event is recorded, like a slow endpoint would. */
    volatile Consumer<WorkerEvent> endpoint = e -> { };
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<TestClient> clients = new ArrayList<>();
    private final Transport transport;
    private final Path socketDir;
    final ConnectorSettings settings;
    final SocketListener listener;

    ListenerFixture(Transport transport, Knobs knobs) throws IOException {
        this.transport = transport;
        this.socketDir = transport == Transport.UNIX
                ? Files.createDirectories(Path.of("/tmp", "cdnt-" + UUID.randomUUID().toString().substring(0, 8)))
                : null;
        this.settings = new ConnectorSettings("127.0.0.1", 0, socketDir == null ? null : socketDir.resolve("s.sock"),
                WorkerToken.of(TOKEN), knobs.timeouts(), knobs.limits(), knobs.maxConnections(),
                knobs.sendQueueBytes(), knobs.chunkBytes(), knobs.requireSandbox());
        ThreadFactory factory = r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            threads.add(t);
            return t;
        };
        EventSink sink = e -> {
            events.add(e);
            endpoint.accept(e);
        };
        this.listener = transport == Transport.TCP ? Listeners.tcp(settings, registry, sink, factory)
                : Listeners.unix(settings, registry, sink, factory);
        listener.start();
    }

    TestClient connect() throws IOException {
        Socket s;
        if (transport == Transport.TCP) {
            String local = listener.localAddress();
            s = new Socket("127.0.0.1", Integer.parseInt(local.substring(local.lastIndexOf(':') + 1)));
        } else {
            s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(settings.socketPath().toFile()));
        }
        TestClient c = new TestClient(s);
        clients.add(c);
        return c;
    }

    /** The connection id of the n-th Connected event (0-based), once it has been delivered. */
    String connectedId(int n) {
        await().atMost(Duration.ofSeconds(5))
                .until(() -> events.stream().filter(WorkerEvent.Connected.class::isInstance).count() > n);
        return events.stream().filter(WorkerEvent.Connected.class::isInstance).skip(n).findFirst().orElseThrow()
                .connectionId();
    }

    WorkerConnection connection(String id) {
        return registry.established(id).orElseThrow();
    }

    List<WorkerEvent> eventsOf(String connectionId) {
        return events.stream().filter(e -> e.connectionId().equals(connectionId)).toList();
    }

    WorkerEvent.Disconnected awaitDisconnected(String connectionId) {
        await().atMost(Duration.ofSeconds(8)).until(() -> eventsOf(connectionId).stream()
                .anyMatch(WorkerEvent.Disconnected.class::isInstance));
        return (WorkerEvent.Disconnected) eventsOf(connectionId).stream()
                .filter(WorkerEvent.Disconnected.class::isInstance).findFirst().orElseThrow();
    }

    void awaitNoConnections() {
        await().atMost(Duration.ofSeconds(8)).until(() -> registry.size() == 0);
    }

    @Override
    public void close() throws Exception {
        clients.forEach(TestClient::close);
        listener.stop();
        registry.closeAll("the test is over");
        awaitNoConnections();
        for (Thread t : threads) {
            t.join(5000);
        }
        assertThat(threads).as("threads the listener started").noneMatch(Thread::isAlive);
        if (socketDir != null) {
            Files.deleteIfExists(socketDir.resolve("s.sock"));
            Files.deleteIfExists(socketDir);
        }
    }
}
