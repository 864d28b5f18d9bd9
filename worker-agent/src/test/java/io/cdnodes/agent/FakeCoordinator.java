package io.cdnodes.agent;

import io.cdnodes.agent.link.ChannelStreams;
import io.cdnodes.protocol.codec.FrameDecoder;
import io.cdnodes.protocol.codec.FrameEncoder;
import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Heartbeat;
import io.cdnodes.protocol.frame.Hello;
import io.cdnodes.protocol.frame.Welcome;
import io.cdnodes.protocol.session.ServerSession;
import io.cdnodes.protocol.session.SessionTimeouts;
import io.cdnodes.protocol.session.WorkerToken;
import io.cdnodes.protocol.tls.CoordinatorTrust;
import io.cdnodes.protocol.transfer.PackageChunker;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A coordinator built from the protocol module, over a real TCP (127.0.0.1, port 0; plain or TLS 1.3 with a
 * certificate made by keytool) or Unix socket: it authenticates with {@link ServerSession}, answers WELCOME, sends
 * heartbeats while {@link #heartbeats} is on, and records what each connection receives. Every thread it starts
 * ends in {@link #close()}.
 */
final class FakeCoordinator implements AutoCloseable {

    enum Kind { TLS, TCP, UNIX }

    static final long POLL_SECONDS = 20;

    private final ServerSocketChannel server;
    private final SSLServerSocket tlsServer;
    private final Path socketDir;
    private final WorkerToken token;
    private final long heartbeatMs;
    private final long timeoutMs;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Conn> all = new CopyOnWriteArrayList<>();
    final BlockingQueue<Conn> connections = new LinkedBlockingQueue<>();
    /** Whether connections send heartbeats; off makes the coordinator silent. */
    volatile boolean heartbeats = true;
    /** Whether connections read; off makes the worker's writes block once the socket buffers are full. */
    volatile boolean reading = true;
    /** Refusals for the next HELLOs, one each, before any is accepted. */
    final BlockingQueue<ErrorFrame> refuseNext = new LinkedBlockingQueue<>();
    final Endpoint endpoint;

    FakeCoordinator(Kind kind, String token, long heartbeatMs, long timeoutMs) throws IOException {
        this.token = WorkerToken.of(token);
        this.heartbeatMs = heartbeatMs;
        this.timeoutMs = timeoutMs;
        if (kind == Kind.TLS) {
            socketDir = null;
            server = null;
            tlsServer = TestTls.serverSocket();
            endpoint = new Endpoint.Tcp("127.0.0.1", tlsServer.getLocalPort());
        } else if (kind == Kind.TCP) {
            socketDir = null;
            tlsServer = null;
            server = ServerSocketChannel.open(StandardProtocolFamily.INET);
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            endpoint = new Endpoint.Tcp("127.0.0.1", ((InetSocketAddress) server.getLocalAddress()).getPort());
        } else {
            tlsServer = null;
            socketDir = Files.createDirectories(Path.of("/tmp", "cdna-" + UUID.randomUUID().toString().substring(0, 8)));
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socketDir.resolve("c.sock")));
            endpoint = new Endpoint.Unix(socketDir.resolve("c.sock"));
        }
        start("fake-accept", this::acceptLoop);
    }

    /** How an agent of this kind trusts this coordinator: the pinned certificate on TLS, nothing otherwise. */
    CoordinatorTrust trust() {
        return tlsServer == null ? null : CoordinatorTrust.pinned(TestTls.fingerprint());
    }

    private void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void acceptLoop() {
        int n = 0;
        while (true) {
            try {
                Conn c = tlsServer != null ? new Conn((SSLSocket) tlsServer.accept(), "w-" + ++n)
                        : new Conn(server.accept(), "w-" + ++n);
                all.add(c);
                connections.add(c);
                start("fake-read-" + n, c::readLoop);
                start("fake-beat-" + n, c::beatLoop);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** The next connection, once it has arrived (the test fails after {@link #POLL_SECONDS}). */
    Conn nextConnection() throws InterruptedException {
        Conn c = connections.poll(POLL_SECONDS, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("no connection within " + POLL_SECONDS + " s");
        }
        return c;
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.close();
        } else {
            tlsServer.close();
        }
        for (Conn c : all) {
            c.close();
        }
        for (Thread t : threads) {
            t.join(5000);
            if (t.isAlive()) {
                throw new AssertionError(t.getName() + " did not end");
            }
        }
        if (socketDir != null) {
            Files.deleteIfExists(socketDir.resolve("c.sock"));
            Files.deleteIfExists(socketDir);
        }
    }

    /** One worker connection. */
    final class Conn {
        private final Closeable socket;
        private final InputStream in;
        private final OutputStream out;
        private final SSLSocket tls;
        private final String workerId;
        private final FrameEncoder encoder = new FrameEncoder();
        private final ServerSession session;
        /** Every frame the worker sent after the handshake (heartbeats too), in order. */
        final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
        final CountDownLatch closed = new CountDownLatch(1);
        volatile Hello hello;
        /** Whether a HELLO arrived at all, accepted or not. */
        volatile boolean helloArrived;

        Conn(SocketChannel channel, String workerId) {
            this(channel, ChannelStreams.input(channel), ChannelStreams.output(channel), null, workerId);
        }

        Conn(SSLSocket socket, String workerId) throws IOException {
            this(socket, socket.getInputStream(), socket.getOutputStream(), socket, workerId);
        }

        private Conn(Closeable socket, InputStream in, OutputStream out, SSLSocket tls, String workerId) {
            this.socket = socket;
            this.in = in;
            this.out = out;
            this.tls = tls;
            this.workerId = workerId;
            this.session = new ServerSession(token, SessionTimeouts.defaults(), System.nanoTime());
        }

        private void readLoop() {
            FrameDecoder decoder = new FrameDecoder();
            byte[] buf = new byte[64 * 1024];
            try {
                if (tls != null) {
                    tls.startHandshake();
                }
                int n;
                while (awaitReading() && (n = in.read(buf)) >= 0 && decoder.violation().isEmpty()) {
                    for (Frame f : decoder.feed(buf, 0, n)) {
                        onFrame(f);
                    }
                }
            } catch (IOException e) {
                // closed
            } finally {
                close();
            }
        }

        private boolean awaitReading() throws IOException {
            try {
                while (!reading) {
                    if (closed.await(10, TimeUnit.MILLISECONDS)) {
                        return false;
                    }
                }
                return true;
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }

        private void onFrame(Frame f) throws IOException {
            ServerSession.Verdict v = session.onFrame(f, System.nanoTime());
            helloArrived |= f instanceof Hello;
            ErrorFrame refusal = v instanceof ServerSession.Accept ? refuseNext.poll() : null;
            if (refusal != null) {
                send(refusal);
                close();
            } else if (v instanceof ServerSession.Accept a) {
                hello = a.hello();
                send(new Welcome(workerId, heartbeatMs, timeoutMs, 8 * 1024 * 1024, 64 * 1024));
            } else if (v instanceof ServerSession.Deliver d) {
                received.add(d.frame());
            } else {
                send(((ServerSession.Reject) v).violation().toErrorFrame());
                close();
            }
        }

        private void beatLoop() {
            long seq = 0;
            try {
                while (closed.getCount() > 0) {
                    if (closed.await(heartbeatMs, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                    if (heartbeats && hello != null) {
                        send(new Heartbeat(++seq));
                    }
                }
            } catch (IOException | InterruptedException e) {
                close();
            }
        }

        synchronized void send(Frame f) throws IOException {
            sendRaw(encoder.encode(f));
        }

        synchronized void sendRaw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        void sendPackage(String packageId, Path file) throws IOException {
            new PackageChunker(64 * 1024).send(packageId, file, this::send);
        }

        /** The next frame of the given type, skipping others (heartbeats, ...). */
        <T extends Frame> T next(Class<T> type) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(POLL_SECONDS);
            while (System.nanoTime() < deadline) {
                Frame f = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (type.isInstance(f)) {
                    return type.cast(f);
                }
            }
            throw new AssertionError("no " + type.getSimpleName() + " within " + POLL_SECONDS + " s");
        }

        /** The HELLO, once it has arrived. */
        Hello awaitHello() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(POLL_SECONDS);
            while (hello == null && closed.getCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            if (hello == null) {
                throw new AssertionError("no HELLO accepted");
            }
            return hello;
        }

        boolean awaitClosed() throws InterruptedException {
            return closed.await(POLL_SECONDS, TimeUnit.SECONDS);
        }

        void close() {
            closed.countDown();
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
