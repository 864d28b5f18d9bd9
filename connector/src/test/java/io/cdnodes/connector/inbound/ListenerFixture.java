package io.cdnodes.connector.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cdnodes.connector.api.WorkerEvent;
import io.cdnodes.connector.tls.ServerIdentity;
import io.cdnodes.connector.tls.TlsSettings;
import io.cdnodes.protocol.codec.CodecLimits;
import io.cdnodes.protocol.session.SessionTimeouts;
import io.cdnodes.protocol.session.WorkerToken;
import io.cdnodes.protocol.tls.CoordinatorTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * One real listener (TLS or plain TCP on 127.0.0.1 port 0, or a Unix socket under /tmp) with a recording event
 * sink, the clients connected to it, and a close that proves every thread it started has ended.
 */
final class ListenerFixture implements AutoCloseable {

    static final String TOKEN = "s3cret-token";
    /** One certificate for every TLS listener of the test run: keytool takes a moment. */
    private static ServerIdentity identity;

    /** The settings a test varies; the rest is fixed. */
    record Knobs(SessionTimeouts timeouts, CodecLimits limits, int maxConnections, int maxPending, int maxPerAddress,
                 int maxSlots, Set<Integer> socketUids, long sendQueueBytes, int chunkBytes, boolean requireSandbox) {

        static Knobs defaults() {
            return new Knobs(new SessionTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(5),
                    Duration.ofSeconds(30)), CodecLimits.coordinator(), 16, 16, 16, 64, Set.of(), 1024 * 1024, 64 * 1024, false);
        }

        Knobs timeouts(long handshakeMs, long heartbeatMs, long idleMs, long stalledMs) {
            return new Knobs(new SessionTimeouts(Duration.ofMillis(handshakeMs), Duration.ofMillis(heartbeatMs),
                    Duration.ofMillis(idleMs), Duration.ofMillis(stalledMs)), limits, maxConnections, maxPending,
                    maxPerAddress, maxSlots, socketUids, sendQueueBytes, chunkBytes, requireSandbox);
        }

        Knobs maxConnections(int n) {
            return new Knobs(timeouts, limits, n, maxPending, maxPerAddress, maxSlots, socketUids, sendQueueBytes,
                    chunkBytes, requireSandbox);
        }

        Knobs maxPending(int n) {
            return new Knobs(timeouts, limits, maxConnections, n, maxPerAddress, maxSlots, socketUids, sendQueueBytes,
                    chunkBytes, requireSandbox);
        }

        Knobs maxPerAddress(int n) {
            return new Knobs(timeouts, limits, maxConnections, maxPending, n, maxSlots, socketUids, sendQueueBytes,
                    chunkBytes, requireSandbox);
        }

        Knobs maxSlots(int n) {
            return new Knobs(timeouts, limits, maxConnections, maxPending, maxPerAddress, n, socketUids, sendQueueBytes,
                    chunkBytes, requireSandbox);
        }

        Knobs socketUids(Set<Integer> uids) {
            return new Knobs(timeouts, limits, maxConnections, maxPending, maxPerAddress, maxSlots, uids,
                    sendQueueBytes, chunkBytes, requireSandbox);
        }

        Knobs sendQueueBytes(long n) {
            return new Knobs(timeouts, limits, maxConnections, maxPending, maxPerAddress, maxSlots, socketUids, n,
                    chunkBytes, requireSandbox);
        }

        Knobs requiringSandbox() {
            return new Knobs(timeouts, limits, maxConnections, maxPending, maxPerAddress, maxSlots, socketUids,
                    sendQueueBytes, chunkBytes, true);
        }

        Knobs maxPayloadBytes(int n) {
            return new Knobs(timeouts, limits.withMaxPayloadBytes(n), maxConnections, maxPending, maxPerAddress,
                    maxSlots, socketUids, sendQueueBytes, chunkBytes, requireSandbox);
        }
    }

    final ConnectionRegistry registry = new ConnectionRegistry();
    final List<WorkerEvent> events = new CopyOnWriteArrayList<>();
    /** Runs on the reader thread after each event is recorded, like a slow endpoint would. */
    volatile Consumer<WorkerEvent> endpoint = e -> { };
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    /** Tasks (by the name they run under) for which no thread is to be had, as from a pool that is full. */
    volatile Predicate<String> noThreadFor = name -> false;
    private final List<TestClient> clients = new ArrayList<>();
    private final Channel channel;
    private final Path socketDir;
    final ConnectorSettings settings;
    final SocketListener listener;

    ListenerFixture(Channel channel, Knobs knobs) throws IOException {
        this.channel = channel;
        this.socketDir = channel == Channel.UNIX
                ? Files.createDirectories(Path.of("/tmp", "cdnt-" + UUID.randomUUID().toString().substring(0, 8)))
                : null;
        this.settings = new ConnectorSettings("127.0.0.1", 0, socketDir == null ? null : socketDir.resolve("s.sock"),
                WorkerToken.of(TOKEN), knobs.timeouts(), knobs.limits(), knobs.maxConnections(), knobs.maxPending(),
                knobs.maxPerAddress(), knobs.maxSlots(), knobs.socketUids(), tlsSettings(), knobs.sendQueueBytes(),
                knobs.chunkBytes(), knobs.requireSandbox());
        AdapterThreads pool = AdapterThreads.of(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            threads.add(t);
            return t;
        });
        AdapterThreads factory = (name, task, refused) -> {
            if (noThreadFor.test(name)) {
                refused.accept("the test's pool is full");
            } else {
                pool.start(name, task, refused);
            }
        };
        EventSink sink = e -> {
            events.add(e);
            endpoint.accept(e);
        };
        this.listener = switch (channel) {
            case TLS -> Listeners.tcp(settings, serverContext(), registry, sink, factory);
            case TCP -> Listeners.tcp(settings, null, registry, sink, factory);
            case UNIX -> Listeners.unix(settings, registry, sink, factory);
        };
        listener.start();
    }

    /** The certificate the TLS listeners present, generated once per test run. */
    static synchronized ServerIdentity identity() {
        if (identity == null) {
            try {
                identity = ServerIdentity.of(tlsSettings(), Instant.now());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return identity;
    }

    private static TlsSettings tlsSettings() {
        return new TlsSettings(true, Path.of("target", "test-tls").toAbsolutePath(), null, null,
                ConnectorSettings.LOCAL_NAMES);
    }

    private static SSLContext serverContext() {
        try {
            return identity().serverContext();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    int port() {
        String local = listener.localAddress();
        return Integer.parseInt(local.substring(local.lastIndexOf(':') + 1));
    }

    /** A connected client, its TLS handshake done on a TLS listener. */
    TestClient connect() throws IOException {
        Socket s = switch (channel) {
            case TLS -> CoordinatorTrust.pinned(identity().fingerprint())
                    .handshake(new Socket("127.0.0.1", port()), "127.0.0.1", port(), Duration.ofSeconds(5));
            case TCP -> new Socket("127.0.0.1", port());
            case UNIX -> AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(settings.socketPath().toFile()));
        };
        return track(new TestClient(s));
    }

    /** A client on the bare socket, no handshake: for what a TLS listener makes of other bytes. */
    TestClient connectRaw() throws IOException {
        if (channel == Channel.UNIX) {
            return connect();
        }
        return track(new TestClient(new Socket("127.0.0.1", port())));
    }

    private TestClient track(TestClient c) {
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
            assertThat(socketDir.resolve("s.sock")).as("the socket file is removed on stop").doesNotExist();
            Files.deleteIfExists(socketDir);
        }
    }
}
