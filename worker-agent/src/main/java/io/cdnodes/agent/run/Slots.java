package io.cdnodes.agent.run;

import io.cdnodes.agent.link.AgentListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs assignments on at most {@code slots} threads, one pytest process each. Assignments beyond that wait
 * their turn. Holds the serving pytest processes that RUN assignments share ({@link #pytestSessions()}): they end
 * with the slots, and idle ones end when the worker drains or loses its coordinator. Thread-safe.
 */
public final class Slots {

    private final ExecutorService pool;
    private final Map<Long, PytestRun> running = new ConcurrentHashMap<>();
    private final AgentListener listener;
    private final PytestSessions sessions;
    /** Set for good once the worker drains: a run submitted after that is drained too. */
    private volatile boolean draining;

    /** Slots whose runs each start a pytest of their own. */
    public Slots(int slots, AgentListener listener) {
        this(slots, listener, Duration.ZERO);
    }

    /** @param sessionIdle how long a serving pytest is kept without a batch; zero keeps none */
    public Slots(int slots, AgentListener listener, Duration sessionIdle) {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(slots, r -> {
            Thread t = new Thread(r, "slot-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.listener = listener;
        this.sessions = new PytestSessions(slots, sessionIdle);
    }

    /** The serving pytest processes that runs on these slots share. */
    public PytestSessions pytestSessions() {
        return sessions;
    }

    /** Queues a run; {@code release} runs after it, whatever happens. */
    public void submit(PytestRun run, Runnable release) {
        long id = run.assign().assignmentId();
        running.put(id, run);
        if (draining) {
            // came in while drainAll went over the runs: it must not start either
            run.drain();
        }
        pool.execute(() -> {
            try {
                int exit = run.execute();
                listener.status("assignment " + id + " (" + run.assign().kind() + ", "
                        + run.assign().nodeIds().size() + " node ids) finished with exit code " + exit + ": "
                        + run.times().summary());
            } catch (Exception e) {
                listener.problem("assignment " + id + " failed", e);
            } finally {
                // only this run's entry: a later attempt of the same assignment may have replaced it, and must
                // stay reachable for CANCEL
                running.remove(id, run);
                release.run();
            }
        });
    }

    public void cancel(long assignmentId) {
        PytestRun run = running.get(assignmentId);
        if (run != null) {
            run.cancel();
        }
    }

    /**
     * The worker is leaving: runs waiting for a slot report {@link io.cdnodes.protocol.frame.AssignmentDone#EXIT_DRAINED}
     * without starting, running ones finish their current test and stop (see {@link PytestRun#drain()}).
     */
    public void drainAll() {
        draining = true;
        running.values().forEach(PytestRun::drain);
        sessions.closeIdle("the worker drains");
    }

    /** Waits until no run is left, at most {@code millis}; returns whether none is left. */
    public boolean awaitIdle(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!running.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        return running.isEmpty();
    }

    /** Cancels everything running or waiting (the link that asked for it is gone). */
    public void cancelAll() {
        running.values().forEach(PytestRun::cancel);
        sessions.closeIdle("the worker lost its coordinator or stops");
    }

    public int active() {
        return running.size();
    }

    public void shutdown() throws InterruptedException {
        cancelAll();
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        sessions.shutdown();
    }
}
