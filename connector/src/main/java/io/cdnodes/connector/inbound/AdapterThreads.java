package io.cdnodes.connector.inbound;

import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * Where the adapter's long-running tasks run: one accept loop per listener, a reader and a writer per connection.
 * In the application server they are Payara's work manager's ({@link WorkManagerThreads}), so that the server's
 * thread pool bounds them and its monitoring counts them; outside one (unit tests) they are threads of their own.
 */
interface AdapterThreads {

    /**
     * Runs the task on a thread of its own, named {@code name} while the task runs. When no thread can be had,
     * {@code refused} is told why instead, on this thread or later on another one, and the task never runs.
     */
    void start(String name, Runnable task, Consumer<String> refused);

    /** New threads from the factory, one per task. */
    static AdapterThreads of(ThreadFactory factory) {
        return (name, task, refused) -> {
            Thread t;
            try {
                t = factory.newThread(task);
                t.setName(name);
                t.start();
            } catch (RuntimeException | OutOfMemoryError e) {
                refused.accept(String.valueOf(e.getMessage()));
            }
        };
    }

    /** The adapter's own daemon threads, with its class loader: what runs the adapter where no server does. */
    static AdapterThreads daemons() {
        return of(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            t.setContextClassLoader(AdapterThreads.class.getClassLoader());
            return t;
        });
    }
}
