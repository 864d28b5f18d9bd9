package io.cdnodes.coordinator.health;

import io.cdnodes.connector.api.WorkerGateway;
import io.cdnodes.coordinator.workers.WorkerGateways;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The coordinator's application metrics, registered at start: {@code cdnodes_workers_connected} (gauge),
 * {@code cdnodes_test_results_total} and {@code cdnodes_evaluations_finished_total} (counters).
 */
@ApplicationScoped
public class CoordinatorMetrics {

    @Inject
    private MetricRegistry registry;

    @Inject
    private WorkerGateways gateways;

    private Counter results;
    private Counter evaluations;

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        results = registry.counter(Metadata.builder().withName("cdnodes_test_results_total")
                .withDescription("Test results recorded since the coordinator started").build());
        evaluations = registry.counter(Metadata.builder().withName("cdnodes_evaluations_finished_total")
                .withDescription("Evaluations that ended (done, failed or cancelled) since the coordinator started")
                .build());
        registry.gauge(Metadata.builder().withName("cdnodes_workers_connected")
                .withDescription("Workers connected now").build(), this, CoordinatorMetrics::connectedWorkers);
    }

    private long connectedWorkers() {
        try (WorkerGateway g = gateways.open()) {
            return g.connections().size();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    public void resultRecorded() {
        if (results != null) {
            results.inc();
        }
    }

    public void evaluationFinished() {
        if (evaluations != null) {
            evaluations.inc();
        }
    }
}
