package io.cdnodes.protocol.session;

import io.cdnodes.protocol.codec.Violation;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Heartbeat;
import io.cdnodes.protocol.frame.Hello;
import io.cdnodes.protocol.frame.Welcome;
import io.cdnodes.protocol.session.ServerSession.Accept;
import io.cdnodes.protocol.session.ServerSession.Deliver;
import io.cdnodes.protocol.session.ServerSession.Reject;
import io.cdnodes.protocol.transfer.PackageChunker;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's side of an in-memory connection, the way the connector drives a {@link ServerSession}:
 * on its own thread it feeds every arriving frame to the session, answers HELLO with WELCOME and heartbeats
 * with heartbeats, checks the deadlines between frames, and on a rejection sends ERROR and closes.
 * Delivered frames are queued for the test.
 */
final class TestCoordinator implements AutoCloseable {

    private static final Duration TICK = Duration.ofMillis(20);

    final FrameChannel channel;
    final BlockingQueue<Frame> delivered = new LinkedBlockingQueue<>();
    final CompletableFuture<Hello> accepted = new CompletableFuture<>();
    final CompletableFuture<Violation> rejected = new CompletableFuture<>();
    /** Completes when the coordinator stops serving the connection, whatever the reason. */
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final ServerSession session;
    private final SessionTimeouts timeouts;
    private final Thread thread;
    private volatile boolean stopped;

    TestCoordinator(FrameChannel channel, WorkerToken token, SessionTimeouts timeouts) {
        this.channel = channel;
        this.timeouts = timeouts;
        this.session = new ServerSession(token, timeouts, System.nanoTime());
        this.thread = new Thread(this::serve, "test-coordinator");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve() {
        try {
            while (!stopped) {
                Object item = channel.poll(TICK);
                long now = System.nanoTime();
                if (item == null) {
                    Optional<Reject> late = session.checkDeadlines(now, false);
                    if (late.isPresent()) {
                        reject(late.get().violation());
                        return;
                    }
                } else if (item == FrameChannel.EOF) {
                    session.close();
                    return;
                } else if (item instanceof Violation violation) {
                    session.close();
                    reject(violation);
                    return;
                } else if (!handle(session.onFrame((Frame) item, now))) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            rejected.completeExceptionally(e);
        } finally {
            ended.complete(null);
        }
    }

    private boolean handle(ServerSession.Verdict verdict) throws IOException {
        if (verdict instanceof Accept accept) {
            channel.send(new Welcome("w-1", timeouts.heartbeatInterval().toMillis(), timeouts.idle().toMillis(),
                    8 * 1024 * 1024, PackageChunker.DEFAULT_CHUNK_BYTES));
            accepted.complete(accept.hello());
        } else if (verdict instanceof Deliver deliver) {
            if (deliver.frame() instanceof Heartbeat beat) {
                channel.send(new Heartbeat(beat.sequence()));
            }
            delivered.add(deliver.frame());
        } else if (verdict instanceof Reject reject) {
            reject(reject.violation());
            return false;
        }
        return true;
    }

    private void reject(Violation violation) throws IOException {
        channel.send(violation.toErrorFrame());
        channel.closeOutput();
        rejected.complete(violation);
    }

    /** The next frame the session delivered. */
    Frame nextDelivered() throws InterruptedException {
        Frame frame = delivered.poll(FrameChannel.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new AssertionError("coordinator: nothing delivered within " + FrameChannel.WAIT);
        }
        return frame;
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(FrameChannel.WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.close();
    }
}
