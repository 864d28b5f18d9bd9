package io.cdnodes.connector.inbound;

import static org.assertj.core.api.Assertions.fail;

import io.cdnodes.protocol.codec.FrameDecoder;
import io.cdnodes.protocol.codec.FrameEncoder;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Heartbeat;
import io.cdnodes.protocol.frame.Hello;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A worker's end of a connection, driven by hand from a test: raw bytes or frames out, frames in. Every
 * read is bounded by the socket's read timeout, so a test never hangs on a connection that stays silent.
 */
final class TestClient implements AutoCloseable {

    static final int READ_TIMEOUT_MS = 5000;

    private final Socket socket;
    private final InputStream in;
    private final FrameDecoder decoder = new FrameDecoder();
    private final FrameEncoder encoder = new FrameEncoder();
    private final Deque<Frame> ready = new ArrayDeque<>();
    private final byte[] buf = new byte[64 * 1024];

    TestClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(READ_TIMEOUT_MS);
        this.in = socket.getInputStream();
    }

    static Hello hello(String name, String token, List<String> cached) {
        return new Hello(io.cdnodes.protocol.codec.Wire.VERSION, name, 3, "3.11.7", "9.0.3", token, cached);
    }

    Socket socket() {
        return socket;
    }

    void send(Frame frame) throws IOException {
        sendRaw(encoder.encode(frame));
    }

    void sendRaw(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** The next frame; fails the test at the end of the stream or after the read timeout. */
    Frame next() throws IOException {
        Frame f = nextOrNull();
        if (f == null) {
            fail("the connection ended while a frame was expected");
        }
        return f;
    }

    /** The next frame that is not a heartbeat. */
    Frame nextNonHeartbeat() throws IOException {
        for (int i = 0; i < 10_000; i++) {
            Frame f = next();
            if (!(f instanceof Heartbeat)) {
                return f;
            }
        }
        return fail("only heartbeats arrived");
    }

    /** The frames that arrive until the coordinator closes the connection. */
    List<Frame> readUntilClosed() throws IOException {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            Frame f = nextOrNull();
            if (f == null) {
                return frames;
            }
            frames.add(f);
        }
        return fail("the connection did not close");
    }

    /**
     * The raw bytes that arrive until the coordinator closes the connection, for a peer that never got as far as
     * frames (one stuck in its TLS handshake may be sent a TLS alert as the coordinator gives up on it).
     */
    byte[] readRawUntilClosed() throws IOException {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 100_000; i++) {
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                return fail("the connection did not close within " + READ_TIMEOUT_MS + " ms");
            } catch (SocketException e) {
                return got.toByteArray(); // reset by the peer: closed
            }
            if (n < 0) {
                return got.toByteArray();
            }
            got.write(buf, 0, n);
        }
        return fail("the connection did not close");
    }

    /** Null at the end of the stream. */
    private Frame nextOrNull() throws IOException {
        while (ready.isEmpty()) {
            if (decoder.violation().isPresent()) {
                fail("the coordinator sent bytes that are not frames: " + decoder.violation().get());
            }
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                return fail("nothing arrived within " + READ_TIMEOUT_MS + " ms");
            } catch (SocketException | javax.net.ssl.SSLException e) {
                return null; // reset by the peer, or TLS ended without its close_notify: closed
            }
            if (n < 0) {
                return null;
            }
            ready.addAll(decoder.feed(buf, 0, n));
        }
        return ready.poll();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
