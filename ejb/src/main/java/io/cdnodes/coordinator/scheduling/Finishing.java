package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.EvaluationStatus;
import io.cdnodes.coordinator.evaluation.ProjectStatus;
import io.cdnodes.coordinator.evaluation.TaskState;
import java.time.Instant;
import java.util.List;

/**
 * Ends projects and evaluations: a project with no open task left is done (unless it ended already); an evaluation
 * whose projects have all ended is done if any of them ran, failed otherwise; a cancelled one stops its running
 * tasks, drops its queued ones and ends its unfinished projects as cancelled. A finished evaluation leaves the
 * live model.
 */
final class Finishing {

    private static final System.Logger LOG = System.getLogger(Finishing.class.getName());

    private final LiveWork work;
    private final BlindProjects blind;
    private final InFlight inFlight;

    Finishing(LiveWork work, BlindProjects blind, InFlight inFlight) {
        this.work = work;
        this.blind = blind;
        this.inFlight = inFlight;
    }

    void completeIfFinished(LiveProject p, Instant now, Changes c) {
        if (!p.openTasks().isEmpty()) {
            return;
        }
        blind.forgetProject(p.id());
        if (!p.status().terminal()) {
            p.done(p.reason());
        }
        finishIfComplete(work.evaluation(p.evaluationId()), now, c);
    }

    void finishIfComplete(LiveEvaluation e, Instant now, Changes c) {
        if (e == null || e.status().terminal()) {
            return;
        }
        List<ProjectStatus> statuses = work.projectsOf(e).stream().map(LiveProject::status).toList();
        if (statuses.stream().allMatch(ProjectStatus::terminal)) {
            boolean anyRan = statuses.stream().anyMatch(s -> s == ProjectStatus.DONE);
            e.finished(anyRan ? EvaluationStatus.DONE : EvaluationStatus.FAILED, now);
            c.finished(e.id());
            work.forget(e);
            LOG.log(System.Logger.Level.INFO, "evaluation={0}: {1}", e.id(), e.status().wireName());
        }
    }

    /**
     * Cancels an unfinished evaluation: its running tasks are stopped (CANCEL to their workers, which answer with
     * ASSIGNMENT_DONE and so free their slots), its queued ones dropped, its unfinished projects end as cancelled.
     * Results already recorded are kept. Returns how many running tasks are stopped.
     */
    int cancel(LiveEvaluation e, Instant now, Changes c) {
        int stopped = 0;
        for (LiveTask t : work.tasksOf(e)) {
            if (t.state() == TaskState.RUNNING) {
                c.sends.add(new Decisions.CancelTask(t.runningOn(), t.id(), "the evaluation was cancelled"));
                stopped++;
            }
            forgetTask(t.id());
            c.backupEnded(t.id());
            work.done(t);
        }
        for (LiveProject p : work.projectsOf(e)) {
            blind.forgetProject(p.id());
            if (!p.status().terminal()) {
                p.status(ProjectStatus.CANCELLED);
            }
        }
        e.finished(EvaluationStatus.CANCELLED, now);
        c.finished(e.id());
        work.forget(e);
        return stopped;
    }

    /** Nothing more is watched for the task. */
    void forgetTask(long taskId) {
        blind.forgetTask(taskId);
        inFlight.forgetTask(taskId);
    }
}
