package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.results.ResultLedger;
import io.cdnodes.coordinator.results.TestOutcome;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * A worker is lost (its connection closed, or it was silent past its heartbeat timeout): each task it was
 * running is settled by {@link Recovery}, inside the dispatcher's lock and transaction.
 */
@Dependent
public class WorkerLoss {

    @PersistenceContext(unitName = "cdnodes")
    private EntityManager em;

    @Inject
    private ResultLedger ledger;

    @Inject
    private Completion completion;

    @Inject
    private BackupPairs backups;

    @Inject
    private Clock clock;

    /** @return how many tasks went back to the queue */
    int lost(DispatchState s, String connectionId, String workerName, String workerAddress) {
        List<Task> tasks = em.createQuery("select t from Task t where t.state = :s and t.runningOn = :c", Task.class)
                .setParameter("s", TaskState.RUNNING).setParameter("c", connectionId).getResultList();
        int requeued = 0;
        for (Task t : tasks) {
            backups.ended(t.getId());
            List<String> unrecorded = completion.leftToRun(t);
            String running = s.runningNode.get(t.getId());
            s.forgetTask(t.getId());
            String name = workerName != null ? workerName : t.getRunningOnName();
            Recovery.Plan plan = s.recovery.afterLoss(new Recovery.Lost(t.getProject().getId(), t.getKind(),
                    unrecorded, running, name, t.getBackupWorker()));
            for (Map.Entry<String, String> e : plan.errors().entrySet()) {
                ledger.record(t.getProject(), e.getKey(), TestOutcome.ERROR, 0, name, workerAddress, t.getAttempt(),
                        e.getValue(), clock.instant());
            }
            if (plan.isolated() != null) {
                Task alone = new Task(t.getProject(), TaskKind.RUN, List.of(plan.isolated()), null);
                alone.avoid(plan.avoid());
                alone.setBackupWorker(plan.preferred());
                em.persist(alone);
                requeued++;
            }
            if (t.getKind() == TaskKind.RUN && plan.requeue().isEmpty()) {
                t.done();
            } else {
                t.requeue(plan.requeue());
                t.setBackupWorker(plan.preferred());
                requeued++;
            }
            s.touched(t.getProject().getEvaluation().getId());
            completion.completeIfFinished(s, t.getProject());
        }
        return requeued;
    }
}
