package io.cdnodes.coordinator.dispatch;

import io.cdnodes.connector.api.WorkerGateway;
import io.cdnodes.coordinator.config.CoordinatorSettings;
import io.cdnodes.coordinator.evaluation.EvaluationSignals;
import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.coordinator.evaluation.TaskKind;
import io.cdnodes.coordinator.health.CoordinatorMetrics;
import io.cdnodes.coordinator.intake.PackageStore;
import io.cdnodes.coordinator.results.ResultFiles;
import io.cdnodes.coordinator.scheduling.Decisions;
import io.cdnodes.coordinator.workers.WorkerGateways;
import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentKind;
import io.cdnodes.protocol.frame.Cancel;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the dispatcher does once an event's decisions have committed, and only then: frames and packages to
 * workers (in the order decided), who backs up whom, live views woken, result files of finished evaluations, and
 * the dispatch rounds asked for. A send that finds its connection closed changes nothing here: the connection's
 * loss is an event of its own, which puts its work back in the queue.
 */
@Dependent
public class Outbox {

    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());

    @Inject
    private WorkerGateways gateways;

    @Inject
    private PackageStore store;

    @Inject
    private CoordinatorSettings settings;

    @Inject
    private BackupPairs backups;

    @Inject
    private EvaluationSignals signals;

    @Inject
    private ResultFiles resultFiles;

    @Inject
    private CoordinatorMetrics metrics;

    @Inject
    private DispatchTrigger trigger;

    void afterCommit(Decisions d) {
        if (!d.sends().isEmpty()) {
            try (WorkerGateway g = gateways.open()) {
                d.sends().forEach(s -> send(g, s));
            }
        }
        for (Decisions.Backup b : d.backups()) {
            if (b.primary() == null) {
                backups.ended(b.taskId());
            } else {
                backups.running(b.taskId(), b.primary(), b.backup());
            }
        }
        d.results().forEach(r -> metrics.resultRecorded());
        d.changed().forEach(signals::changed);
        for (long id : d.finished()) {
            resultFiles.writeSoon(id);
            metrics.evaluationFinished();
        }
        // a decision that falls due later (SlowStart) gets a round then, whether or not an event comes
        d.roundInMillis().ifPresent(trigger::kickAfter);
        if (d.roundSoon()) {
            trigger.kick();
        }
    }

    private void send(WorkerGateway g, Decisions.Send s) {
        boolean sent;
        if (s instanceof Decisions.Assign a) {
            sent = g.send(a.connectionId(), frame(a));
        } else if (s instanceof Decisions.DeliverPackage p) {
            sent = g.sendPackage(p.connectionId(), p.packageId(), store.path(p.packageId()));
        } else {
            Decisions.CancelTask c = (Decisions.CancelTask) s;
            sent = g.send(c.connectionId(), new Cancel(c.taskId(), c.reason()));
        }
        if (!sent) {
            LOG.log(System.Logger.Level.DEBUG, "conn={0}: closed before {1} could be sent; its loss settles it",
                    s.connectionId(), s.getClass().getSimpleName());
        }
    }

    private Assign frame(Decisions.Assign a) {
        RunOptions options = a.options();
        return new Assign(a.taskId(), a.attempt(), a.evaluationId(), a.projectId(), a.packageId(),
                a.kind() == TaskKind.COLLECT ? AssignmentKind.COLLECT : AssignmentKind.RUN, options.pytestArgs(),
                options.env(), a.nodeIds(), settings.taskTimeout().toSeconds(),
                directives(options, settings.reportLimits().perValue()));
    }

    /**
     * How workers prepare the evaluation's runs (its dependencies installed, the network given) and how much of each
     * test's report they send.
     */
    static Map<String, String> directives(RunOptions options, int reportChars) {
        Map<String, String> d = new TreeMap<>();
        d.put(Assign.REPORT_CHARS, Integer.toString(reportChars));
        if (options.installDeps()) {
            d.put(Assign.INSTALL_DEPS, "true");
        }
        if (options.network()) {
            d.put(Assign.NETWORK, "true");
        }
        return d;
    }
}
