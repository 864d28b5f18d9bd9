package io.cdnodes.coordinator.scheduling;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Asks for a dispatch round on the container's managed executor. Requests that arrive while one is already
 * waiting to run are folded into it, so a burst of events costs one round, not one per event.
 */
@ApplicationScoped
public class DispatchTrigger {

    private static final System.Logger LOG = System.getLogger(DispatchTrigger.class.getName());

    @Resource
    private ManagedExecutorService executor;

    @EJB
    private Dispatcher dispatcher;

    private final AtomicBoolean scheduled = new AtomicBoolean();

    public void kick() {
        if (!scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::run);
        } catch (RejectedExecutionException e) {
            scheduled.set(false);
            LOG.log(System.Logger.Level.WARNING, "dispatch round not scheduled: {0}", e.getMessage());
        }
    }

    private void run() {
        scheduled.set(false);
        try {
            dispatcher.dispatch();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "dispatch round failed", e);
        }
    }
}
