package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.TaskKind;
import io.cdnodes.coordinator.results.TestOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A worker is lost (its connection closed, or it was silent past its heartbeat timeout): each task it was running
 * is settled by {@link LossRecovery}. The nodes still without a result go back to the queue as a new attempt,
 * preferably to the backup; the node that was running is retried once alone on another worker, and recorded as an
 * error once a second worker is lost under it.
 */
final class WorkerLosses {

    private final Journal journal;
    private final LiveWork work;
    private final InFlight inFlight;
    private final LossRecovery recovery;
    private final Reports reports;
    private final Finishing finishing;

    WorkerLosses(Journal journal, LiveWork work, InFlight inFlight, LossRecovery recovery, Reports reports,
                 Finishing finishing) {
        this.journal = journal;
        this.work = work;
        this.inFlight = inFlight;
        this.recovery = recovery;
        this.reports = reports;
        this.finishing = finishing;
    }

    /** @return how many tasks went back to the queue */
    int lost(String connectionId, String workerName, String workerAddress, Instant now, Changes c) {
        int requeued = 0;
        for (LiveTask t : work.runningOn(connectionId)) {
            c.backupEnded(t.id());
            LiveProject p = work.projectOf(t);
            // a test another task runs again (reruns) is that task's: not requeued, isolated or blamed here, even
            // where a whole batch would run every test again
            List<String> unrecorded = work.leftToRun(t).stream().filter(n -> p.heardFrom(n, t.id())).toList();
            String running = inFlight.runningNode(t.id()).filter(n -> p.heardFrom(n, t.id())).orElse(null);
            finishing.forgetTask(t.id());
            String name = workerName != null ? workerName : t.runningOnName();
            LossRecovery.Plan plan = recovery.afterLoss(new LossRecovery.Lost(p.id(), t.kind(), unrecorded, running,
                    name, t.backupWorker()));
            for (Map.Entry<String, String> e : plan.errors().entrySet()) {
                reports.record(p, new Decisions.ResultRow(p.id(), e.getKey(), TestOutcome.ERROR, 0, name, workerAddress,
                        t.attempt(), e.getValue(), now), c);
            }
            if (plan.isolated() != null) {
                // a rerun stays one (a restart finds it by its flag): its report comes from the task it is isolated in
                LiveTask alone = t.isRerun()
                        ? LiveTask.rerunOf(journal, work.nextTaskId(), p.id(), plan.isolated(), plan.avoid(), null, 0)
                        : new LiveTask(journal, work.nextTaskId(), p.id(), TaskKind.RUN, List.of(plan.isolated()), null,
                        0);
                alone.avoid(plan.avoid());
                alone.setBackupWorker(plan.preferred());
                work.add(alone);
                p.rerunMoved(plan.isolated(), t.id(), alone.id());
                requeued++;
            }
            if (t.kind() == TaskKind.RUN && plan.requeue().isEmpty()) {
                work.done(t);
            } else {
                t.requeue(plan.requeue());
                t.setBackupWorker(plan.preferred());
                requeued++;
            }
            c.changed(p.evaluationId());
            finishing.completeIfFinished(p, now, c);
        }
        return requeued;
    }
}
