package io.cdnodes.connector.inbound;

import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkAdapter;
import jakarta.resource.spi.work.WorkEvent;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The adapter's tasks as {@link Work} on the work manager the server gave it (Payara: the thread pool named by the
 * adapter's Resource Adapter Config, {@code thread-pool-1} when none is). Each task holds its thread for as long as
 * it runs, a connection's reader and writer for the connection's whole life, so the pool must hold two threads per
 * connection the adapter admits, and two for the accept loops: a task that waits for a thread is said in the log,
 * and one that has not started within {@link #START_TIMEOUT_MS} is refused, which closes its connection.
 */
final class WorkManagerThreads implements AdapterThreads {

    private static final System.Logger LOG = System.getLogger(WorkManagerThreads.class.getName());
    /** How long a task may wait for a thread of the pool before it is given up. */
    static final long START_TIMEOUT_MS = 10_000;
    /** A wait for a thread longer than this is worth a warning: the pool is too small for the connections. */
    private static final long SLOW_START_MS = 1_000;

    private final WorkManager work;

    WorkManagerThreads(WorkManager work) {
        this.work = work;
    }

    @Override
    public void start(String name, Runnable task, Consumer<String> refused) {
        AtomicBoolean told = new AtomicBoolean();
        Consumer<String> once = why -> {
            if (told.compareAndSet(false, true)) {
                refused.accept(why);
            }
        };
        long queuedAt = System.nanoTime();
        try {
            work.scheduleWork(new Named(name, task), START_TIMEOUT_MS, null, new WorkAdapter() {
                @Override
                public void workStarted(WorkEvent e) {
                    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - queuedAt);
                    if (waited > SLOW_START_MS) {
                        LOG.log(System.Logger.Level.WARNING, "{0} waited {1} ms for a thread of the connector''s "
                                + "thread pool: it is too small for the workers connected (two threads each)",
                                name, waited);
                    }
                }

                @Override
                public void workRejected(WorkEvent e) {
                    once.accept(reason(e.getException()));
                }
            });
        } catch (WorkException | RuntimeException e) {
            once.accept(reason(e));
        }
    }

    private static String reason(Exception e) {
        if (e == null) {
            return "the work manager refused it";
        }
        String code = e instanceof WorkException w && w.getErrorCode() != null ? " (" + w.getErrorCode() + ")" : "";
        return "the work manager refused it: " + e.getMessage() + code;
    }

    /** A task that takes the name it is known by for as long as it runs on a pool thread. */
    private record Named(String name, Runnable task) implements Work {

        @Override
        public void run() {
            Thread thread = Thread.currentThread();
            String poolName = thread.getName();
            thread.setName(name);
            try {
                task.run();
            } finally {
                thread.setName(poolName);
            }
        }

        /** Nothing to do: the adapter ends its tasks itself, by closing their sockets when it stops. */
        @Override
        public void release() {
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
