package io.cdnodes.coordinator.health;

import io.cdnodes.connector.api.WorkerGateway;
import io.cdnodes.coordinator.workers.WorkerGateways;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.Objects;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the database answers and the adapter listens for workers. The probe needs no key, so it says UP or
 * DOWN and nothing else: how many evaluations and workers there are and where CDProto listens are for key holders
 * ({@code /stats}, {@code /network}, {@code /metrics}); why it is DOWN goes to the log, once per change.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private static final System.Logger LOG = System.getLogger(ReadinessCheck.class.getName());

    @PersistenceContext(unitName = "cdnodes")
    private EntityManager em;

    @Inject
    private WorkerGateways gateways;

    /** Why the last probe was DOWN; null when it was UP. */
    private volatile String lastDown;

    @Override
    @Transactional
    public HealthCheckResponse call() {
        String down = whyNotReady();
        if (!Objects.equals(down, lastDown)) {
            LOG.log(down == null ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                    down == null ? "ready" : "not ready: " + down);
            lastDown = down;
        }
        return HealthCheckResponse.named("cdnodes").status(down == null).build();
    }

    private String whyNotReady() {
        try {
            em.createQuery("select count(e) from Evaluation e", Long.class).getSingleResult();
        } catch (RuntimeException e) {
            return "the database does not answer: " + e;
        }
        try (WorkerGateway g = gateways.open()) {
            return g.listenAddresses().isEmpty() ? "CDProto is not listening" : null;
        } catch (RuntimeException e) {
            return "the CDProto adapter is not available: " + e;
        }
    }
}
