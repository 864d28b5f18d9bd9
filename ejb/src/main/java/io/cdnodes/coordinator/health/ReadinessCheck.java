package io.cdnodes.coordinator.health;

import io.cdnodes.connector.api.WorkerGateway;
import io.cdnodes.connector.api.WorkerGatewayFactory;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the database answers and the adapter listens for workers. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @PersistenceContext(unitName = "cdnodes")
    private EntityManager em;

    @Resource(lookup = "java:app/cdnodes/WorkerGateway")
    private WorkerGatewayFactory gateways;

    @Override
    @Transactional
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("cdnodes");
        boolean up = true;
        try {
            long evaluations = em.createQuery("select count(e) from Evaluation e", Long.class).getSingleResult();
            b.withData("evaluations", evaluations);
        } catch (RuntimeException e) {
            up = false;
            b.withData("database", "not answering: " + e.getClass().getSimpleName());
        }
        try (WorkerGateway g = gateways.getGateway()) {
            List<String> listening = g.listenAddresses();
            b.withData("listening", String.join(" ", listening));
            b.withData("workers", g.connections().size());
            up &= !listening.isEmpty();
        } catch (RuntimeException e) {
            up = false;
            b.withData("connector", "not available: " + e.getClass().getSimpleName());
        }
        return b.status(up).build();
    }
}
