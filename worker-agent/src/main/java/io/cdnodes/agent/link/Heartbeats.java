package io.cdnodes.agent.link;

import io.cdnodes.protocol.frame.Heartbeat;
import io.cdnodes.protocol.frame.Welcome;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heartbeats a welcomed link sends, and the watchdog that closes it when the coordinator has been silent past
 * the timeout its WELCOME gave. They are separate tasks (the pool must have two threads) so that a heartbeat blocked
 * on a coordinator that stopped reading cannot keep the watchdog from firing; closing the link unblocks it.
 */
public final class Heartbeats {

    private Heartbeats() {
    }

    /**
     * Starts both on {@code timers}; cancel the futures returned when the link ends.
     *
     * @param timers a pool of at least two threads, shared with the caller
     */
    public static List<ScheduledFuture<?>> start(ScheduledExecutorService timers, CoordinatorLink link,
                                                 Welcome welcome, AgentListener listener) {
        AtomicLong seq = new AtomicLong();
        long interval = Math.max(100, welcome.heartbeatIntervalMs());
        long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(interval * 2, welcome.heartbeatTimeoutMs()));
        ScheduledFuture<?> watchdog = timers.scheduleAtFixedRate(() -> {
            if (!link.isClosed() && System.nanoTime() - link.lastReceivedNanos() > timeoutNanos) {
                listener.problem("the coordinator has been silent for " + welcome.heartbeatTimeoutMs() + " ms", null);
                link.close();
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> beats = timers.scheduleAtFixedRate(() -> {
            try {
                link.send(new Heartbeat(seq.incrementAndGet()));
                listener.heartbeatSent();
            } catch (IOException e) {
                link.close();
            }
        }, 0, interval, TimeUnit.MILLISECONDS);
        return List.of(watchdog, beats);
    }
}
