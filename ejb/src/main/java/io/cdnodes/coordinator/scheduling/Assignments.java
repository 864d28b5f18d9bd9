package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.ProjectStatus;
import io.cdnodes.coordinator.evaluation.TaskKind;
import java.time.Instant;
import java.util.List;

/**
 * Hands one task to one worker as a new attempt: the package first if the worker lacks it, the ASSIGN, and a
 * backup worker (the next available one after it in connection order) that gets the package ahead of time, to
 * take over should the worker be lost. The frames are decisions, sent once the event has committed.
 */
final class Assignments {

    private static final System.Logger LOG = System.getLogger(Assignments.class.getName());

    private final LiveWork work;
    private final WorkerPool pool;
    private final BlindProjects blind;
    private final InFlight inFlight;

    Assignments(LiveWork work, WorkerPool pool, BlindProjects blind, InFlight inFlight) {
        this.work = work;
        this.pool = pool;
        this.blind = blind;
        this.inFlight = inFlight;
    }

    void assign(LiveTask t, WorkerPool.Worker w, Instant now, Changes c) {
        LiveProject p = work.projectOf(t);
        LiveEvaluation e = work.evaluation(p.evaluationId());
        deliver(w, p.packageId(), c);
        int attempt = t.assign(w.connectionId(), w.name(), now);
        e.started(now);
        c.changed(e.id());
        if (t.kind() == TaskKind.COLLECT) {
            p.status(ProjectStatus.COLLECTING);
            inFlight.collecting(t.id(), w.connectionId(), attempt, e.id());
        }
        c.sends.add(new Decisions.Assign(w.connectionId(), t.id(), attempt, e.id(), p.id(), p.packageId(), t.kind(),
                t.nodeIds(), e.options()));
        w.assign(t.id(), attempt);
        // a twin's results repeat its original's: they would count twice
        blind.handedOut(t);
        if (attempt > 1) {
            LOG.log(System.Logger.Level.INFO, "task={0} attempt={1} evaluation={2}: {3} node(s) taken over by "
                    + "worker={4}", t.id(), attempt, e.id(), t.nodeCount(), w.name());
        }
        WorkerPool.Worker backup = backupFor(w);
        t.setBackupWorker(backup == null ? null : backup.name());
        if (backup != null) {
            deliver(backup, p.packageId(), c);
        }
        c.backupRunning(t.id(), w.connectionId(), backup == null ? null : backup.connectionId());
    }

    /** Sends the package unless the worker holds it already. */
    private static void deliver(WorkerPool.Worker w, String packageId, Changes c) {
        if (!w.holds(packageId)) {
            c.sends.add(new Decisions.DeliverPackage(w.connectionId(), packageId));
            w.holdsNow(packageId);
        }
    }

    /** The next available worker after {@code w} in connection order, or null when it is alone. */
    private WorkerPool.Worker backupFor(WorkerPool.Worker w) {
        List<WorkerPool.Worker> all = pool.all();
        int i = all.indexOf(w);
        for (int k = 1; k < all.size(); k++) {
            WorkerPool.Worker candidate = all.get((i + k) % all.size());
            if (!candidate.draining() && !candidate.name().equals(w.name())) {
                return candidate;
            }
        }
        return null;
    }
}
