package io.cdnodes.agent.link;

import io.cdnodes.agent.Endpoint;
import io.cdnodes.protocol.codec.CodecLimits;
import io.cdnodes.protocol.codec.FrameDecoder;
import io.cdnodes.protocol.codec.FrameEncoder;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.tls.CoordinatorTrust;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.net.ssl.SSLSocket;

/**
 * One connection to the coordinator. {@link #read()} is called by one reader thread; {@link #send(Frame)}
 * may be called from any thread (writes are serialised). {@link #close()} from any thread unblocks the reader.
 */
public final class CoordinatorLink implements Closeable {

    private static final int CONNECT_TIMEOUT_MS = 5000;

    private final Closeable socket;
    /** The TCP socket under a TLS one, closed first so that nothing waits on the TLS layer; else null. */
    private final Closeable underneath;
    private final InputStream in;
    private final OutputStream out;
    private final FrameDecoder decoder;
    private final FrameEncoder encoder;
    private final Deque<Frame> ready = new ArrayDeque<>();
    private final byte[] buf = new byte[64 * 1024];
    private volatile long lastReceivedNanos = System.nanoTime();
    private volatile boolean closed;

    private CoordinatorLink(Closeable socket, Closeable underneath, InputStream in, OutputStream out,
                            CodecLimits limits) {
        this.socket = socket;
        this.underneath = underneath;
        this.in = in;
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.decoder = new FrameDecoder(limits);
        this.encoder = new FrameEncoder(limits);
    }

    /**
     * Connects; on TCP with {@code tls}, completes the TLS 1.3 handshake (bounded by {@code handshakeTimeout}) before
     * anything is sent, so that the token goes only to a coordinator the worker trusts.
     *
     * @param tls how the coordinator's certificate is checked; null for plain TCP (ignored on a Unix socket)
     * @throws io.cdnodes.protocol.tls.CertificateRefusedException when the coordinator's certificate is not trusted
     */
    public static CoordinatorLink open(Endpoint endpoint, CodecLimits limits, CoordinatorTrust tls,
                                       Duration handshakeTimeout) throws IOException {
        if (endpoint instanceof Endpoint.Tcp tcp) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(tcp.host(), tcp.port()), CONNECT_TIMEOUT_MS);
                s.setTcpNoDelay(true);
                s.setKeepAlive(true);
                if (tls == null) {
                    return new CoordinatorLink(s, null, s.getInputStream(), s.getOutputStream(), limits);
                }
                SSLSocket secured = tls.handshake(s, tcp.host(), tcp.port(), handshakeTimeout);
                return new CoordinatorLink(secured, s, secured.getInputStream(), secured.getOutputStream(), limits);
            } catch (IOException e) {
                s.close();
                throw e;
            }
        }
        Endpoint.Unix unix = (Endpoint.Unix) endpoint;
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(unix.path()));
            return new CoordinatorLink(ch, null, ChannelStreams.input(ch), ChannelStreams.output(ch), limits);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** The next frame; blocks. Throws {@link EOFException} at the end of the stream. */
    public Frame read() throws IOException {
        while (ready.isEmpty()) {
            if (decoder.violation().isPresent()) {
                throw new ProtocolException(decoder.violation().get());
            }
            int n = in.read(buf);
            if (n < 0) {
                throw new EOFException("the coordinator closed the connection");
            }
            lastReceivedNanos = System.nanoTime();
            ready.addAll(decoder.feed(buf, 0, n));
        }
        return ready.poll();
    }

    public void send(Frame frame) throws IOException {
        byte[] bytes = encoder.encode(frame);
        synchronized (out) {
            if (closed) {
                throw new IOException("connection closed");
            }
            out.write(bytes);
            out.flush();
        }
    }

    /** Monotonic time of the last bytes received. */
    public long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        // a heartbeat blocked writing holds the TLS layer's write lock: closing the socket under it frees it first
        quietClose(underneath);
        quietClose(socket);
    }

    private static void quietClose(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
