package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.coordinator.evaluation.TaskKind;
import io.cdnodes.coordinator.results.TestDetails;
import io.cdnodes.coordinator.results.TestOutcome;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What the {@link Scheduler} decided on one event, as values: what to persist in the event's transaction, and
 * what to do once it has committed (send to workers, wake live views, write result files, look again later). The
 * caller persists, commits, tells the scheduler ({@link Scheduler#commit()} or {@link Scheduler#rollback()}), and
 * only after a commit acts on the rest, in order.
 *
 * @param tasks         tasks to save (new, changed, done, or joined into another and so to remove)
 * @param projects      projects whose status, package or collected count changed
 * @param evaluations   evaluations that started or finished
 * @param results       results to record: each node's first, never one already recorded
 * @param attempts      earlier attempts of tests that failed or errored and run again ({@code reruns}), to keep
 * @param sends         what to send to workers, in order
 * @param backups       changes to who backs up whom (for {@code /network})
 * @param changed       evaluations whose live views should be woken
 * @param finished      evaluations that ended (their result files are written)
 * @param roundSoon     whether to run a dispatch round soon (capacity or work appeared)
 * @param roundInMillis when a decision falls due with no event to wake it: a dispatch round in this many ms
 */
public record Decisions(List<TaskRow> tasks, List<ProjectRow> projects, List<EvaluationRow> evaluations,
                        List<ResultRow> results, List<ResultRow> attempts, List<Send> sends, List<Backup> backups, Set<Long> changed,
                        Set<Long> finished, boolean roundSoon, OptionalLong roundInMillis) {

    public Decisions {
        tasks = List.copyOf(tasks);
        projects = List.copyOf(projects);
        evaluations = List.copyOf(evaluations);
        results = List.copyOf(results);
        attempts = List.copyOf(attempts);
        sends = List.copyOf(sends);
        backups = List.copyOf(backups);
        changed = Set.copyOf(changed);
        finished = Set.copyOf(finished);
    }

    /** Nothing to persist and nothing to do. */
    public static final Decisions NONE = new Decisions(List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of(), List.of(), Set.of(), Set.of(), false, OptionalLong.empty());

    /** Whether there is anything to persist (else no transaction is needed). */
    public boolean persists() {
        return !tasks.isEmpty() || !projects.isEmpty() || !evaluations.isEmpty() || !results.isEmpty()
                || !attempts.isEmpty();
    }

    /**
     * A result to record.
     *
     * @param projectId     its project
     * @param nodeId        the pytest node id
     * @param outcome       passed, failed, error...
     * @param duration      seconds, at least 0
     * @param workerName    the worker that ran it (or was lost running it)
     * @param workerAddress where that worker connected from
     * @param attempt       the task's attempt that reported it
     * @param message       what went wrong, or null
     * @param at            when it arrived
     * @param details       the report
     * @param flaky         it failed or errored before it passed on a rerun
     * @param startedAt     when the test started (its TEST_STARTED, else its arrival less its duration); null for a
     *                      result the coordinator made (a lost worker, a missing result)
     * @param twin          a speculative twin of the test's batch ran it ({@code TailTwins}), and won
     */
    public record ResultRow(long projectId, String nodeId, TestOutcome outcome, double duration, String workerName,
                            String workerAddress, int attempt, String message, Instant at, TestDetails details,
                            boolean flaky, Instant startedAt, boolean twin) {

        public ResultRow {
            details = details == null ? TestDetails.NONE : details;
        }

        /** A result as a worker reported it. */
        public ResultRow(long projectId, String nodeId, TestOutcome outcome, double duration, String workerName,
                         String workerAddress, int attempt, String message, Instant at, TestDetails details,
                         Instant startedAt) {
            this(projectId, nodeId, outcome, duration, workerName, workerAddress, attempt, message, at, details, false,
                    startedAt, false);
        }

        /** This result, marked flaky (it passed on a rerun) or not. */
        public ResultRow flaky(boolean value) {
            return new ResultRow(projectId, nodeId, outcome, duration, workerName, workerAddress, attempt, message, at,
                    details, value, startedAt, twin);
        }

        /** This result, as one a twin ran or not. */
        public ResultRow twin(boolean value) {
            return new ResultRow(projectId, nodeId, outcome, duration, workerName, workerAddress, attempt, message, at,
                    details, flaky, startedAt, value);
        }

        /** Whether the test failed (a failure or an error): what a rerun is for. */
        public boolean failed() {
            return outcome == TestOutcome.FAILED || outcome == TestOutcome.ERROR;
        }

        /** A result the coordinator records itself (a lost worker, a missing result): a message, no report. */
        public ResultRow(long projectId, String nodeId, TestOutcome outcome, double duration, String workerName,
                         String workerAddress, int attempt, String message, Instant at) {
            this(projectId, nodeId, outcome, duration, workerName, workerAddress, attempt, message, at, null, false,
                    null, false);
        }
    }

    /** Something to send to a worker once the transaction has committed. */
    public sealed interface Send permits Assign, DeliverPackage, CancelTask {
        /** The worker's connection. */
        String connectionId();
    }

    /**
     * Hand a task to a worker (the ASSIGN frame).
     *
     * @param nodeIds the node ids to run (empty for a COLLECT)
     * @param options the evaluation's run options (pytest arguments, environment, directives)
     */
    public record Assign(String connectionId, long taskId, int attempt, long evaluationId, long projectId,
                         String packageId, TaskKind kind, List<String> nodeIds, RunOptions options) implements Send {
        public Assign {
            nodeIds = List.copyOf(nodeIds);
        }
    }

    /** Send a package the worker does not hold yet (before the ASSIGN that needs it, or ahead to a backup). */
    public record DeliverPackage(String connectionId, String packageId) implements Send {
    }

    /** Stop a running task (the CANCEL frame); the worker answers with ASSIGNMENT_DONE. */
    public record CancelTask(String connectionId, long taskId, String reason) implements Send {
    }

    /**
     * Who backs up a running task now.
     *
     * @param taskId  the task
     * @param primary the connection running it, or null when it ended (no pair any more)
     * @param backup  its backup's connection, or null when it has none
     */
    public record Backup(long taskId, String primary, String backup) {
    }
}
