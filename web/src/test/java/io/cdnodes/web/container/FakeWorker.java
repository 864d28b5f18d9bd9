package io.cdnodes.web.container;

import io.cdnodes.protocol.codec.FrameDecoder;
import io.cdnodes.protocol.codec.FrameEncoder;
import io.cdnodes.protocol.codec.Wire;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Heartbeat;
import io.cdnodes.protocol.frame.Hello;
import io.cdnodes.protocol.tls.CoordinatorTrust;
import io.cdnodes.protocol.tls.Fingerprint;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** A worker played by the test: raw CDProto over TLS, the coordinator's certificate pinned, every wait bounded. */
final class FakeWorker implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final FrameDecoder decoder = new FrameDecoder();
    private final FrameEncoder encoder = new FrameEncoder();
    private final Deque<Frame> ready = new ArrayDeque<>();

    FakeWorker(String host, int port, Fingerprint coordinator) throws IOException {
        socket = CoordinatorTrust.pinned(coordinator).handshake(new Socket(host, port), host, port,
                Duration.ofSeconds(10));
        socket.setSoTimeout(500);
        in = socket.getInputStream();
    }

    /** The fingerprint the coordinator published in its data folder. */
    static Fingerprint publishedFingerprint() throws IOException {
        return Fingerprint.parse(Files.readString(Path.of(System.getenv("CDNODES_DATA_DIR"), "tls", "cdproto.sha256")));
    }

    void hello(String name, String token) throws IOException {
        send(new Hello(Wire.VERSION, name, 1, "3.11", "9.0", token, List.of()));
    }

    void send(Frame f) throws IOException {
        socket.getOutputStream().write(encoder.encode(f));
        socket.getOutputStream().flush();
    }

    int localPort() {
        return socket.getLocalPort();
    }

    /** The next frame of the given type, skipping heartbeats; fails after {@code timeoutMillis}. */
    <T extends Frame> T expect(Class<T> type, long timeoutMillis) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            Frame f = ready.poll();
            if (f == null) {
                fill();
                continue;
            }
            if (f instanceof Heartbeat) {
                send(new Heartbeat(0)); // stay alive while the test waits
                continue;
            }
            if (!type.isInstance(f)) {
                throw new AssertionError("expected " + type.getSimpleName() + " but got " + f);
            }
            return type.cast(f);
        }
        throw new AssertionError("no " + type.getSimpleName() + " within " + timeoutMillis + " ms");
    }

    private void fill() throws IOException {
        byte[] buf = new byte[256 * 1024];
        try {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("the coordinator closed the connection");
            }
            ready.addAll(decoder.feed(buf, 0, n));
            if (decoder.violation().isPresent()) {
                throw new AssertionError("the coordinator sent a bad frame: " + decoder.violation().get());
            }
        } catch (SocketTimeoutException e) {
            send(new Heartbeat(0));
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
