package io.cdnodes.coordinator.evaluation;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A change counter per evaluation, so that live views (Server-Sent Events) wake up when something happened
 * instead of polling blindly. The dispatcher bumps it; readers wait on it with a timeout and then read the
 * database, so a missed or early wake-up costs at most one timeout. A counter (two longs) is kept for every
 * evaluation changed since the coordinator started: dropping a finished one could leave a reader that saw no
 * change yet waiting for a whole timeout. Thread-safe.
 */
@ApplicationScoped
public class EvaluationSignals {

    private final Map<Long, Long> versions = new ConcurrentHashMap<>();
    private final Object monitor = new Object();

    /** Notes that the evaluation changed and wakes its waiters. */
    public void changed(long evaluationId) {
        versions.merge(evaluationId, 1L, Long::sum);
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    public long version(long evaluationId) {
        return versions.getOrDefault(evaluationId, 0L);
    }

    /** Waits until the evaluation's version differs from {@code seen}, or the timeout passes. */
    public long await(long evaluationId, long seen, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (monitor) {
            long v;
            while ((v = version(evaluationId)) == seen) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return v;
                }
                monitor.wait(left);
            }
            return v;
        }
    }

}
