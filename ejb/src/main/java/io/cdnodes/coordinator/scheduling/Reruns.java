package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.coordinator.evaluation.TaskKind;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@code reruns} option, what pytest-rerunfailures does within one session done across workers: a test that
 * failed or errored runs again, alone, in a new task kept off the worker it failed on while another can take it
 * and not handed out before {@code reruns_delay}; its failed attempt is kept beside the result
 * ({@link Decisions#attempts}). The last attempt is the result: passed after failing, it is marked flaky; still
 * failing after {@code reruns} reruns, it is the failure. While a rerun is open only its report counts for the
 * test ({@link LiveProject#heardFrom}): a twin or an earlier batch of the test is no longer heard.
 */
final class Reruns {

    private static final System.Logger LOG = System.getLogger(Reruns.class.getName());

    private final Journal journal;
    private final LiveWork work;

    Reruns(Journal journal, LiveWork work) {
        this.journal = journal;
        this.work = work;
    }

    /**
     * What becomes of a result task {@code t} reports: the row to record (marked flaky when it passed on a rerun),
     * or null when nothing is recorded now (another task runs the test again, or this attempt is kept and the test
     * runs again).
     */
    Decisions.ResultRow apply(LiveTask t, LiveProject p, Decisions.ResultRow row, Instant now, Changes c) {
        String node = row.nodeId();
        if (!p.heardFrom(node, t.id())) {
            LOG.log(System.Logger.Level.DEBUG, "task {0}: result for {1}, which another task runs again; ignored",
                    t.id(), node);
            return null;
        }
        if (t.kind() != TaskKind.RUN || p.hasResult(node) || node.length() > Reports.MAX_NODE_ID) {
            // an over-long node id is never recorded (Reports.record): nor is an attempt of it, nor is it rerun
            return row;
        }
        int kept = p.keptAttempts(node);
        LiveEvaluation e = work.evaluation(p.evaluationId());
        RunOptions options = e == null ? RunOptions.none() : e.options();
        if (!row.failed() || kept >= options.reruns()) {
            return kept == 0 ? row : row.flaky(!row.failed());
        }
        Duration delay = Duration.ofMillis(Math.round(options.rerunsDelay() * 1000));
        LiveTask again = LiveTask.rerunOf(journal, work.nextTaskId(), p.id(), node, row.workerName(),
                delay.isZero() ? null : now.plus(delay), row.duration());
        work.add(again);
        int number = p.rerunBy(node, again.id());
        c.attempts.add(new Decisions.ResultRow(row.projectId(), node, row.outcome(), row.duration(), row.workerName(),
                row.workerAddress(), number, row.message(), row.at(), row.details(), row.startedAt()));
        c.changed(p.evaluationId());
        c.roundSoon();
        if (!delay.isZero()) {
            c.lookAgainIn(delay.toMillis() / 1000.0);
        }
        LOG.log(System.Logger.Level.INFO, "evaluation={0} project={1}: {2} {3} on {4}: rerun {5} of {6} (task {7})",
                p.evaluationId(), p.name(), node, row.outcome().name().toLowerCase(java.util.Locale.ROOT),
                row.workerName(), number, options.reruns(), again.id());
        return null;
    }
}
