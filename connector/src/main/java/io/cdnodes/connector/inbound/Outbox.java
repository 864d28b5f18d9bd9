package io.cdnodes.connector.inbound;

import io.cdnodes.protocol.codec.FrameEncoder;
import io.cdnodes.protocol.frame.Heartbeat;
import io.cdnodes.protocol.transfer.PackageChunker;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * What a {@link WorkerConnection} has to write, in order: encoded frames (bounded in bytes: a worker that stops
 * reading must not make the coordinator hold without limit), package transfers streamed from files, and the end.
 * {@link #drainTo(Socket)} runs on the connection's writer thread and sends a heartbeat whenever nothing was to be
 * written for one interval. Offering is thread-safe.
 */
final class Outbox {

    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());

    private sealed interface Outgoing permits Bytes, Package, End {
    }

    private record Bytes(byte[] data) implements Outgoing {
    }

    private record Package(String packageId, Path file) implements Outgoing {
    }

    private record End() implements Outgoing {
    }

    private final String connectionId;
    private final long limitBytes;
    private final long heartbeatMs;
    private final int chunkBytes;
    private final FrameEncoder encoder;
    private final BooleanSupplier heartbeats;
    private final LinkedBlockingQueue<Outgoing> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();

    /**
     * @param heartbeats whether a heartbeat is due when idle (the session is established and not closing)
     */
    Outbox(String connectionId, ConnectorSettings settings, FrameEncoder encoder, BooleanSupplier heartbeats) {
        this.connectionId = connectionId;
        this.limitBytes = settings.sendQueueBytes();
        this.heartbeatMs = settings.timeouts().heartbeatInterval().toMillis();
        this.chunkBytes = settings.chunkBytes();
        this.encoder = encoder;
        this.heartbeats = heartbeats;
    }

    /** Queues an encoded frame; false, queuing nothing, when the queue would pass its limit. */
    boolean offer(byte[] frame) {
        if (queuedBytes.addAndGet(frame.length) > limitBytes) {
            queuedBytes.addAndGet(-frame.length);
            return false;
        }
        queue.add(new Bytes(frame));
        return true;
    }

    /** Queues an encoded frame past the limit: the last words before the end (an ERROR). */
    void offerLast(byte[] frame) {
        queuedBytes.addAndGet(frame.length);
        queue.add(new Bytes(frame));
    }

    void offerPackage(String packageId, Path file) {
        queue.add(new Package(packageId, file));
    }

    /** Nothing is written after what is queued now. */
    void end() {
        queue.add(new End());
    }

    /** Bytes of frames queued and not yet written. */
    long queuedBytes() {
        return queuedBytes.get();
    }

    /**
     * Writes what is queued to the socket until the end or a failure; never throws but for an interrupt.
     *
     * @param workerName for the log
     */
    void drainTo(Socket socket, String workerName, BooleanSupplier closing) throws InterruptedException {
        long sequence = 0;
        PackageChunker chunker = new PackageChunker(chunkBytes);
        try (OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024)) {
            while (true) {
                Outgoing item = queue.poll(heartbeatMs, TimeUnit.MILLISECONDS);
                if (item == null) {
                    if (heartbeats.getAsBoolean()) {
                        out.write(encoder.encode(new Heartbeat(++sequence)));
                        out.flush();
                    }
                    continue;
                }
                if (item instanceof End) {
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
            if (!closing.getAsBoolean()) {
                LOG.log(System.Logger.Level.INFO, "conn={0} worker={1}: write failed, {2}", connectionId, workerName,
                        e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "conn=" + connectionId + ": writer failed", e);
        }
    }

    /** Drops what is left (the connection is gone). */
    void clear() {
        queue.clear();
        queuedBytes.set(0);
    }
}
