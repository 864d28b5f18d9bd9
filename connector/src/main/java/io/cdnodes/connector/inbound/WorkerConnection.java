package io.cdnodes.connector.inbound;

import io.cdnodes.connector.api.ConnectionInfo;
import io.cdnodes.connector.api.Transport;
import io.cdnodes.connector.api.WorkerEvent;
import io.cdnodes.protocol.codec.CodecLimits;
import io.cdnodes.protocol.codec.FrameDecoder;
import io.cdnodes.protocol.codec.FrameEncoder;
import io.cdnodes.protocol.codec.Violation;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Heartbeat;
import io.cdnodes.protocol.frame.Welcome;
import io.cdnodes.protocol.session.ServerSession;
import io.cdnodes.protocol.transfer.PackageChunker;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One worker connection. A reader thread owns the decoder and the {@link ServerSession}: it authenticates
 * the worker, delivers its frames in order, and enforces the handshake, idle and stalled-frame deadlines.
 * A writer thread owns the socket's output: it drains a queue bounded in bytes, streams package transfers
 * from files, and sends a heartbeat when it has had nothing to write for one interval. Neither thread ever
 * lets an exception escape; whatever goes wrong closes this one connection.
 */
final class WorkerConnection {

    private static final System.Logger LOG = System.getLogger(WorkerConnection.class.getName());
    private static final int READ_TICK_MS = 200;

    private sealed interface Outgoing permits Bytes, Package, Close {
    }

    private record Bytes(byte[] data) implements Outgoing {
    }

    private record Package(String packageId, Path file) implements Outgoing {
    }

    private record Close() implements Outgoing {
    }

    private final String id;
    private final Socket socket;
    private final Transport transport;
    private final String localAddress;
    private final String remoteAddress;
    private final ConnectorSettings settings;
    private final EventSink sink;
    private final Runnable onClosed;
    private final FrameEncoder encoder;
    private final LinkedBlockingQueue<Outgoing> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch writerDone = new CountDownLatch(1);
    private volatile String workerName;
    private volatile boolean established;
    private volatile String closeReason;

    WorkerConnection(String id, Socket socket, Transport transport, String localAddress, String remoteAddress,
                     ConnectorSettings settings, EventSink sink, Runnable onClosed) {
        this.id = id;
        this.socket = socket;
        this.transport = transport;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.settings = settings;
        this.sink = sink;
        this.onClosed = onClosed;
        // settings.limits() bound what this side accepts (announced in WELCOME); what it sends is bounded by the
        // worker's decoder, which announces no limit of its own, so the protocol's default applies (section 11)
        this.encoder = new FrameEncoder(CodecLimits.defaults());
    }

    String id() {
        return id;
    }

    boolean established() {
        return established && !closing.get();
    }

    ConnectionInfo info() {
        return new ConnectionInfo(id, transport, localAddress, remoteAddress, workerName);
    }

    void start(ThreadFactory threads) {
        threads.newThread(this::readLoop).start();
        threads.newThread(this::writeLoop).start();
    }

    /** Queues a frame; false when closing. Closes the connection when its queue is over the limit. */
    boolean send(Frame frame) {
        if (closing.get()) {
            return false;
        }
        byte[] bytes = encoder.encode(frame);
        if (queuedBytes.addAndGet(bytes.length) > settings.sendQueueBytes()) {
            LOG.log(System.Logger.Level.WARNING, "conn={0} worker={1}: send queue over {2} bytes, closing",
                    id, workerName, settings.sendQueueBytes());
            close(null, "the worker stopped reading (send queue full)");
            return false;
        }
        queue.add(new Bytes(bytes));
        return true;
    }

    boolean sendPackage(String packageId, Path file) {
        if (closing.get()) {
            return false;
        }
        queue.add(new Package(packageId, file));
        return true;
    }

    /** Sends the error (if any) after what is queued, then closes. Idempotent: the first reason wins. */
    void close(ErrorFrame error, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closeReason = reason;
        if (error != null) {
            byte[] bytes = encoder.encode(error);
            queue.add(new Bytes(bytes));
        }
        queue.add(new Close());
    }

    private void readLoop() {
        Thread.currentThread().setName("cdproto-read-" + id);
        ServerSession session = new ServerSession(settings.token(), settings.timeouts(), settings.requireSandbox(),
                System.nanoTime());
        FrameDecoder decoder = new FrameDecoder(settings.limits());
        String ended = null;
        // Not try-with-resources: closing a socket's input stream closes the socket, and the writer may still
        // have an ERROR frame to send. The socket is closed in awaitWriterThenClose().
        try {
            InputStream in = socket.getInputStream();
            socket.setSoTimeout(READ_TICK_MS);
            byte[] buf = new byte[64 * 1024];
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
                    if (!handle(session, frame, readAt)) {
                        break;
                    }
                }
                Optional<Violation> violation = decoder.violation();
                if (violation.isPresent()) {
                    reject(violation.get());
                } else {
                    session.checkDeadlines(readAt, decoder.midFrame()).ifPresent(r -> reject(r.violation()));
                }
            }
        } catch (IOException e) {
            ended = "connection failed: " + e.getMessage();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "conn=" + id + ": reader failed", e);
            ended = "reader failed: " + e;
        } finally {
            close(null, ended == null ? "closed" : ended);
            awaitWriterThenClose();
            if (established) {
                deliver(new WorkerEvent.Disconnected(id, closeReason));
            }
            onClosed.run();
        }
    }

    /** Gives the writer a moment to send a queued ERROR, then closes the socket whatever it is doing. */
    private void awaitWriterThenClose() {
        try {
            writerDone.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Returns false when the connection is closing and the remaining frames must be dropped. */
    private boolean handle(ServerSession session, Frame frame, long readAt) {
        if (closing.get()) {
            return false;
        }
        ServerSession.Verdict verdict = session.onFrame(frame, readAt);
        if (verdict instanceof ServerSession.Accept accept) {
            workerName = accept.hello().workerName();
            send(new Welcome(id, settings.timeouts().heartbeatInterval().toMillis(),
                    settings.timeouts().idle().toMillis(), settings.limits().maxPayloadBytes(), settings.chunkBytes()));
            established = true;
            LOG.log(System.Logger.Level.INFO, "conn={0} worker={1}: connected over {2} from {3} with {4} slot(s), {5}",
                    id, workerName, transport, remoteAddress, accept.hello().slots(),
                    accept.hello().sandboxed() ? "sandboxed" : "NOT sandboxed");
            deliver(WorkerEvent.Connected.of(id, transport, localAddress, remoteAddress, accept.hello()));
            return true;
        }
        if (verdict instanceof ServerSession.Deliver d) {
            deliver(new WorkerEvent.Received(id, d.frame()));
            return true;
        }
        reject(((ServerSession.Reject) verdict).violation());
        return false;
    }

    private void reject(Violation violation) {
        String why = "protocol violation " + violation.code() + ": " + violation.message();
        LOG.log(System.Logger.Level.WARNING, "conn={0} worker={1} remote={2}: closing, {3}", id, workerName,
                remoteAddress, why);
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
        Thread.currentThread().setName("cdproto-write-" + id);
        long heartbeatMs = settings.timeouts().heartbeatInterval().toMillis();
        long sequence = 0;
        PackageChunker chunker = new PackageChunker(settings.chunkBytes());
        try (OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024)) {
            while (true) {
                Outgoing item = queue.poll(heartbeatMs, TimeUnit.MILLISECONDS);
                if (item == null) {
                    if (established()) {
                        out.write(encoder.encode(new Heartbeat(++sequence)));
                        out.flush();
                    }
                    continue;
                }
                if (item instanceof Close) {
                    out.flush();
                    break;
                }
                if (item instanceof Bytes b) {
                    out.write(b.data());
                    queuedBytes.addAndGet(-b.data().length);
                } else if (item instanceof Package p) {
                    chunker.send(p.packageId(), p.file(), frame -> out.write(encoder.encode(frame)));
                }
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            if (!closing.get()) {
                LOG.log(System.Logger.Level.INFO, "conn={0} worker={1}: write failed, {2}", id, workerName,
                        e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "conn=" + id + ": writer failed", e);
        } finally {
            close(null, "connection lost while writing");
            queue.clear();
            writerDone.countDown();
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
