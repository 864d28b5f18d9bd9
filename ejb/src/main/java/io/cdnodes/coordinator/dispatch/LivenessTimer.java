package io.cdnodes.coordinator.dispatch;

import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

/**
 * Once a second: declares workers silent past their heartbeat timeout gone, and asks for a dispatch round
 * (a safety net: every event that frees capacity asks for one already). Non-persistent: durable state
 * lives in the database, and Payara Micro keeps persistent timers in Hazelcast.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrations")
public class LivenessTimer {

    private static final System.Logger LOG = System.getLogger(LivenessTimer.class.getName());

    @EJB
    private Dispatcher dispatcher;

    @Inject
    private DispatchTrigger trigger;

    @Schedule(second = "*", minute = "*", hour = "*", persistent = false, info = "cdnodes-liveness")
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void tick() {
        try {
            dispatcher.expireSilentWorkers();
            trigger.kick();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "liveness check failed", e);
        }
    }
}
