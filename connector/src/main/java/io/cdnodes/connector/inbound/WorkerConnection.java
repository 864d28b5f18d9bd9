package io.cdnodes.connector.inbound;

import io.cdnodes.connector.api.ConnectionInfo;
import io.cdnodes.connector.api.Transport;
import io.cdnodes.connector.api.WorkerEvent;
import io.cdnodes.protocol.codec.CodecLimits;
import io.cdnodes.protocol.codec.FrameDecoder;
import io.cdnodes.protocol.codec.FrameEncoder;
import io.cdnodes.protocol.codec.Violation;
import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Hello;
import io.cdnodes.protocol.frame.Welcome;
import io.cdnodes.protocol.session.ServerSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One worker connection. A reader thread owns the TLS handshake (on a TLS listener), the decoder and the
 * {@link ServerSession} (CDProto's rules for one connection): it authenticates the worker, claims its name, delivers
 * its frames in order, and enforces the handshake, idle and stalled-frame deadlines. A writer thread owns the
 * socket's output: it drains the {@link Outbox} (frames bounded in bytes, package transfers, heartbeats when idle);
 * until the TLS handshake is done it waits, and closes the connection if it is not done by the handshake deadline.
 * Neither thread ever lets an exception escape; whatever goes wrong closes this one connection.
 *
 * <p>Why one class of about 350 lines: what could stand apart already does ({@link TlsHandshake} tells a TLS client
 * from a plain one and secures the socket, {@link Outbox} queues and writes, {@link ConnectionRegistry} holds the
 * names, {@link ServerSession} judges every frame and deadline, {@link Admission} decided at accept). What remains
 * is the hand-off between the two threads through one small lifecycle (the secured socket, whether the worker is
 * established, closing and its first reason, the writer being done), and the order in which a close must happen
 * (an ERROR queued last, the writer given a moment, the socket pulled from under a writer that is stuck). Split
 * into a reader class and a writer class, both would share those fields and their ordering rules, which then no
 * single file would show.
 */
final class WorkerConnection {

    private static final System.Logger LOG = System.getLogger(WorkerConnection.class.getName());
    private static final int READ_TICK_MS = 200;
    /** What is read at once before the worker has authenticated, and after. */
    private static final int HANDSHAKE_READ_BYTES = 8 * 1024;
    private static final int READ_BYTES = 64 * 1024;

    private final String id;
    private final Socket raw;
    private final Transport transport;
    private final String localAddress;
    private final Admission.Peer peer;
    private final ConnectorSettings settings;
    private final TlsHandshake tls;
    private final ConnectionRegistry registry;
    private final EventSink sink;
    private final FrameEncoder encoder;
    private final Outbox outbox;
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Counted down when {@link #io} is set, or when the connection failed before it could be. */
    private final CountDownLatch secured = new CountDownLatch(1);
    private final CountDownLatch writerDone = new CountDownLatch(1);
    /** The socket frames travel on: {@link #raw}, or the TLS socket layered over it. */
    private volatile Socket io;
    private volatile String workerName;
    private volatile boolean established;
    /** Set once the HELLO is accepted, before the WELCOME goes out: from then on the connection counts as a worker's. */
    private volatile boolean authenticated;
    private volatile String closeReason;

    /**
     * @param tls the TLS handshake to run first; null on a plain listener
     */
    WorkerConnection(String id, Socket socket, Transport transport, String localAddress, Admission.Peer peer,
                     ConnectorSettings settings, TlsHandshake tls, ConnectionRegistry registry, EventSink sink) {
        this.id = id;
        this.raw = socket;
        this.transport = transport;
        this.localAddress = localAddress;
        this.peer = peer;
        this.settings = settings;
        this.tls = tls;
        this.registry = registry;
        this.sink = sink;
        // settings.limits() bound what this side accepts (announced in WELCOME); what it sends is bounded by the
        // worker's decoder, which announces no limit of its own, so the protocol's default applies (section 11)
        this.encoder = new FrameEncoder(CodecLimits.defaults());
        this.outbox = new Outbox(id, settings, encoder, this::established);
    }

    String id() {
        return id;
    }

    /** The peer's IP address (no port) for TCP; null on the Unix socket. */
    String peerHost() {
        return peer.host();
    }

    boolean established() {
        return established && !closing.get();
    }

    /** Whether its worker has authenticated, closing or not: a connection that has not is still in its handshake. */
    boolean authenticated() {
        return authenticated;
    }

    /** Bytes of frames queued and not yet written (for tests). */
    long queuedBytes() {
        return outbox.queuedBytes();
    }

    ConnectionInfo info() {
        return new ConnectionInfo(id, transport, localAddress, peer.address(), workerName);
    }

    void start(AdapterThreads threads) {
        threads.start("cdproto-write-" + id, this::writeLoop, why -> {
            writerDone.countDown();
            refused(why);
        });
        threads.start("cdproto-read-" + id, this::readLoop, why -> {
            refused(why);
            registry.remove(id);
        });
    }

    /** No thread for the reader or the writer: the connection is dropped before it says anything. */
    private void refused(String why) {
        LOG.log(System.Logger.Level.WARNING, "conn={0} remote={1}: closing, no thread to serve it: {2}", id,
                peer.address(), why);
        close(null, "no thread to serve it: " + why);
        secured.countDown();
        quietClose(raw);
    }

    /** Queues a frame; false when closing. Closes the connection when its queue is over the limit. */
    boolean send(Frame frame) {
        if (closing.get()) {
            return false;
        }
        if (!outbox.offer(encoder.encode(frame))) {
            LOG.log(System.Logger.Level.WARNING, "conn={0} worker={1}: send queue over {2} bytes, closing",
                    id, workerName, settings.sendQueueBytes());
            close(null, "the worker stopped reading (send queue full)");
            return false;
        }
        return true;
    }

    boolean sendPackage(String packageId, Path file) {
        if (closing.get()) {
            return false;
        }
        outbox.offerPackage(packageId, file);
        return true;
    }

    /** Sends the error (if any) after what is queued, then closes. Idempotent: the first reason wins. */
    void close(ErrorFrame error, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closeReason = reason;
        if (error != null) {
            outbox.offerLast(encoder.encode(error));
        }
        outbox.end();
    }

    private void readLoop() {
        ServerSession protocol = new ServerSession(settings.token(), settings.timeouts(), settings.requireSandbox(),
                System.nanoTime());
        FrameDecoder decoder = new FrameDecoder(settings.limits());
        String ended = null;
        // Not try-with-resources: closing a socket's input stream closes the socket, and the writer may still
        // have an ERROR frame to send. The socket is closed in awaitWriterThenClose().
        try {
            io = secure();
            secured.countDown();
            if (io == null) {
                ended = "refused before the TLS handshake completed";
                return;
            }
            InputStream in = io.getInputStream();
            io.setSoTimeout(READ_TICK_MS);
            byte[] buf = new byte[HANDSHAKE_READ_BYTES];
            while (!closing.get()) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    n = 0;
                }
                if (n < 0) {
                    ended = "the worker closed the connection";
                    break;
                }
                // The worker's deadlines are judged as of this read: time spent below delivering its frames to a
                // slow endpoint is this side's, and frames the worker sent meanwhile are waiting to be read.
                long readAt = System.nanoTime();
                for (Frame frame : decoder.feed(buf, 0, n)) {
                    if (!handle(protocol, frame, readAt)) {
                        break;
                    }
                }
                Optional<Violation> violation = decoder.violation();
                if (violation.isPresent()) {
                    reject(violation.get());
                } else {
                    protocol.checkDeadlines(readAt, decoder.midFrame()).ifPresent(r -> reject(r.violation()));
                }
                if (established && buf.length < READ_BYTES) {
                    buf = new byte[READ_BYTES];
                }
            }
        } catch (IOException e) {
            ended = "connection failed: " + e.getMessage();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "conn=" + id + ": reader failed", e);
            ended = "reader failed: " + e;
        } finally {
            secured.countDown();
            close(null, ended == null ? "closed" : ended);
            awaitWriterThenClose();
            if (established) {
                deliver(new WorkerEvent.Disconnected(id, closeReason));
            }
            registry.remove(id);
        }
    }

    /**
     * The socket to speak CDProto on: the accepted one, or TLS over it once the handshake is done. Null when the
     * peer was answered in clear (it speaks no TLS) or the handshake failed; nothing more is to be done then.
     */
    private Socket secure() {
        if (tls == null) {
            return raw;
        }
        try {
            TlsHandshake.Result r = tls.accept(raw, settings.timeouts().handshake());
            if (r instanceof TlsHandshake.Secured s) {
                return s.socket();
            }
            ErrorFrame error = ((TlsHandshake.Refused) r).error();
            LOG.log(System.Logger.Level.WARNING, "conn={0} remote={1}: not a TLS client, refused: {2}", id,
                    peer.address(), error.message());
            OutputStream out = raw.getOutputStream();
            out.write(encoder.encode(error));
            out.flush();
        } catch (IOException | RuntimeException e) {
            if (!closing.get()) {
                LOG.log(System.Logger.Level.WARNING, "conn={0} remote={1}: TLS handshake failed: {2}", id,
                        peer.address(), String.valueOf(e.getMessage()));
            }
        }
        return null;
    }

    /**
     * Gives the writer a moment to send a queued ERROR and close the socket; one that is stuck (a peer that does
     * not read) has the connection pulled from under it, so that nothing waits on it.
     */
    private void awaitWriterThenClose() {
        boolean done = false;
        try {
            done = writerDone.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!done) {
            quietClose(raw);
        }
        quietClose(io);
        quietClose(raw);
    }

    /** Returns false when the connection is closing and the remaining frames must be dropped. */
    private boolean handle(ServerSession protocol, Frame frame, long readAt) {
        if (closing.get()) {
            return false;
        }
        ServerSession.Verdict verdict = protocol.onFrame(frame, readAt);
        if (verdict instanceof ServerSession.Accept accept) {
            return welcome(accept.hello());
        }
        if (verdict instanceof ServerSession.Deliver d) {
            deliver(new WorkerEvent.Received(id, d.frame()));
            return true;
        }
        reject(((ServerSession.Reject) verdict).violation());
        return false;
    }

    /** An authenticated HELLO: the name must be free; the slots used are capped. */
    private boolean welcome(Hello hello) {
        String name = hello.workerName();
        Optional<ErrorFrame> refused = registry.claim(name, id, settings.maxConnections());
        if (refused.isPresent()) {
            reject(new Violation(refused.get().code(), refused.get().message()));
            return false;
        }
        workerName = name;
        // counted before the WELCOME leaves: a worker that has it may connect again at once (admission counts these)
        authenticated = true;
        int slots = Math.min(hello.slots(), settings.maxSlotsPerWorker());
        if (slots < hello.slots()) {
            LOG.log(System.Logger.Level.WARNING, "conn={0} worker={1}: announced {2} slots; it is given work for {3} "
                    + "(CDNODES_MAX_SLOTS_PER_WORKER)", id, name, hello.slots(), slots);
        }
        send(new Welcome(id, settings.timeouts().heartbeatInterval().toMillis(), settings.timeouts().idle().toMillis(),
                settings.limits().maxPayloadBytes(), settings.chunkBytes()));
        established = true;
        LOG.log(System.Logger.Level.INFO, "conn={0} worker={1}: connected over {2} from {3} with {4} slot(s), {5}",
                id, name, transport, peer.address(), slots, hello.sandboxed() ? "sandboxed" : "NOT sandboxed");
        if (settings.token().isOpen()) {
            LOG.log(System.Logger.Level.WARNING, "conn={0} worker={1}: accepted WITHOUT a worker token "
                    + "(CDNODES_INSECURE_NO_WORKER_TOKEN=true): whoever reaches {2} runs as a worker", id, name,
                    localAddress);
        }
        deliver(WorkerEvent.Connected.of(id, transport, localAddress, peer.address(), hello, slots));
        return true;
    }

    private void reject(Violation violation) {
        String why = "protocol violation " + violation.code() + ": " + violation.message();
        LOG.log(System.Logger.Level.WARNING, "conn={0} worker={1} remote={2}: closing, {3}", id, workerName,
                peer.address(), why);
        close(violation.toErrorFrame(), why);
    }

    private void deliver(WorkerEvent event) {
        try {
            sink.deliver(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "conn=" + id + ": delivering " + event.getClass().getSimpleName()
                    + " failed", e);
        }
    }

    private void writeLoop() {
        try {
            if (!secured.await(settings.timeouts().handshake().toMillis(), TimeUnit.MILLISECONDS)) {
                // the TLS handshake is overdue: pulling the socket ends the reader's wait on it
                LOG.log(System.Logger.Level.WARNING, "conn={0} remote={1}: no TLS handshake within {2} ms, closing",
                        id, peer.address(), settings.timeouts().handshake().toMillis());
                close(null, "no TLS handshake within " + settings.timeouts().handshake().toMillis() + " ms");
                quietClose(raw);
                return;
            }
            Socket socket = io;
            if (socket != null) {
                outbox.drainTo(socket, workerName, closing::get);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close(null, "connection lost while writing");
            outbox.clear();
            writerDone.countDown();
            quietClose(io);
            quietClose(raw);
        }
    }

    private static void quietClose(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
