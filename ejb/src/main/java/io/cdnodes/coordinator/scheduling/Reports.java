package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.config.ReportLimits;
import io.cdnodes.coordinator.evaluation.TaskKind;
import io.cdnodes.coordinator.evaluation.TaskState;
import io.cdnodes.coordinator.results.TestDetails;
import io.cdnodes.coordinator.results.TestOutcome;
import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.TestResult;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What workers report, applied: results (only from the current attempt of a task, only for its nodes, the first
 * per node wins, a failure run again where the evaluation asks for {@linkplain Reruns reruns}), collections, and the end of assignments, with what that means for the task: requeued when the
 * package was missing or the worker drains, planned when a collection ends, and for a run, its missing results
 * recorded as errors unless its twin still runs them.
 */
final class Reports {

    private static final System.Logger LOG = System.getLogger(Reports.class.getName());
    /** The longest node id recorded (the result table's column). */
    static final int MAX_NODE_ID = 8192;

    private final LiveWork work;
    private final InFlight inFlight;
    private final Planning planning;
    private final Finishing finishing;
    private final Duration taskTimeout;
    private final int packageRetries;
    private final ReportLimits reportLimits;
    private final Reruns reruns;

    Reports(LiveWork work, InFlight inFlight, Planning planning, Finishing finishing, Duration taskTimeout,
            int packageRetries, ReportLimits reportLimits, Reruns reruns) {
        this.reportLimits = reportLimits;
        this.reruns = reruns;
        this.work = work;
        this.inFlight = inFlight;
        this.planning = planning;
        this.finishing = finishing;
        this.taskTimeout = taskTimeout;
        this.packageRetries = packageRetries;
    }

    /**
     * Whether a frame naming this attempt of a task comes from the connection that holds it ({@code w}, null when
     * unknown); any other is a forgery or a mistake: it is logged and changes nothing.
     */
    static boolean fromHolder(WorkerPool.Worker w, String connectionId, long taskId, int attempt, String frameType) {
        if (w != null && w.isAssigned(taskId, attempt)) {
            return true;
        }
        LOG.log(System.Logger.Level.WARNING, "conn={0} worker={1}: {2} for task {3} attempt {4}, which this connection "
                + "does not hold; ignored", connectionId, w == null ? "-" : w.name(), frameType, Long.toString(taskId),
                attempt);
        return false;
    }

    /** Records results that arrived since the last batch, in arrival order. */
    void results(List<Arrived> arrived, Changes c) {
        Map<Long, Set<String>> nodesOf = new HashMap<>();
        for (Arrived a : arrived) {
            TestReport r = a.report();
            LiveTask t = current(a.connectionId(), a.workerName(), r.taskId(), r.attempt());
            if (t == null) {
                continue;
            }
            if (t.kind() == TaskKind.RUN && !nodesOf.computeIfAbsent(t.id(), k -> new HashSet<>(t.nodeIds()))
                    .contains(r.nodeId())) {
                LOG.log(System.Logger.Level.WARNING, "worker={0}: result for {1}, which task {2} does not hold; ignored",
                        a.workerName(), r.nodeId(), t.id());
                continue;
            }
            inFlight.finished(t.id(), r.nodeId());
            LiveProject p = work.projectOf(t);
            Decisions.ResultRow row = reruns.apply(t, p, new Decisions.ResultRow(p.id(), r.nodeId(), r.outcome(),
                    Math.max(0, r.duration()), a.workerName(), a.workerAddress(), r.attempt(), r.message(), a.at(),
                    details(p, r), a.startedAt()).twin(t.twinOf() != null), a.at(), c);
            if (row != null) {
                record(p, row, c);
            }
            c.changed(p.evaluationId());
        }
    }

    /**
     * The report of a result as it is kept: bounded again (a worker may send anything), and left out once the
     * evaluation's reports have used their share ({@link ReportLimits#perEvaluation()}).
     */
    private TestDetails details(LiveProject p, TestReport r) {
        TestDetails d = TestDetails.of(TestResult.Report.bounded(r.report(), reportLimits.perValue()));
        LiveEvaluation e = work.evaluation(p.evaluationId());
        if (d.isEmpty() || e == null) {
            return d;
        }
        if (!e.spendReportChars(d.chars(), reportLimits.perEvaluation())) {
            return d.leftOut("[report left out: this evaluation's reports reached " + reportLimits.perEvaluation()
                    + " characters (CDNODES_MAX_EVALUATION_REPORT_CHARS)]");
        }
        return d;
    }

    /** Records a result unless its node has one already (the first wins). */
    void record(LiveProject p, Decisions.ResultRow row, Changes c) {
        if (row.nodeId().length() <= MAX_NODE_ID && p.record(row.nodeId())) {
            c.results.add(row);
            if (row.outcome() == TestOutcome.SKIPPED && !row.nodeId().contains("::")) {
                // only a collection reports a module: skipped as it was collected
                p.moduleSkipped();
            }
        }
    }

    /** Node ids a worker collected: kept only when that connection holds that attempt of the collection. */
    void collected(WorkerPool.Worker w, CollectionReport report) {
        CollectedNodes nodes = inFlight.collection(report.taskId()).orElse(null);
        if (nodes != null && nodes.add(w.connectionId(), report)) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "conn={0} worker={1} evaluation={2}: COLLECTED for task {3} attempt {4}, "
                + "a collection this connection does not hold; {5} node id(s) ignored", w.connectionId(), w.name(),
                nodes == null ? "-" : Long.toString(nodes.evaluationId()), Long.toString(report.taskId()),
                report.attempt(), report.nodeIds().size());
    }

    /** An assignment ended (ASSIGNMENT_DONE): its slot is free, and what it did is settled. */
    void done(WorkerPool.Worker w, long taskId, int attempt, int exitCode, String detail, Instant now, Changes c) {
        if (!w.finish(taskId, attempt)) {
            LOG.log(System.Logger.Level.WARNING, "conn={0} worker={1}: ASSIGNMENT_DONE for task {2} attempt {3}, which "
                    + "this connection does not hold; ignored", w.connectionId(), w.name(), Long.toString(taskId),
                    attempt);
            return;
        }
        LiveTask t = current(w.connectionId(), w.name(), taskId, attempt);
        if (t == null) {
            return;
        }
        c.backupEnded(t.id());
        inFlight.forgetRunningNode(t.id());
        LiveProject p = work.projectOf(t);
        c.changed(p.evaluationId());
        if (exitCode == AssignmentDone.EXIT_PACKAGE_MISSING && t.attempt() <= packageRetries) {
            w.forget(p.packageId());
            inFlight.takeCollection(t.id());
            t.requeue(work.leftToRun(t));
            return;
        }
        if (exitCode == AssignmentDone.EXIT_DRAINED) {
            inFlight.takeCollection(t.id());
            List<String> left = work.leftToRun(t);
            if (t.kind() == TaskKind.RUN && left.isEmpty()) {
                work.done(t);
                finishing.completeIfFinished(p, now, c);
            } else {
                t.requeue(left);
            }
            return;
        }
        if (t.kind() == TaskKind.COLLECT) {
            CollectedNodes nodes = inFlight.takeCollection(t.id());
            work.done(t);
            planning.collectionDone(w, p, nodes, exitCode, detail, now, c);
        } else {
            runDone(w, t, p, attempt, exitCode, detail, now, c);
        }
        finishing.completeIfFinished(p, now, c);
    }

    private void runDone(WorkerPool.Worker w, LiveTask t, LiveProject p, int attempt, int exitCode, String detail,
                         Instant now, Changes c) {
        work.done(t);
        LiveTask other = work.counterpart(t).orElse(null);
        if (other != null) {
            if (!work.unrecorded(other).isEmpty()) {
                // what this copy missed, the other one is still running: it decides
                return;
            }
            // the other copy has nothing left that counts: stop it
            if (other.state() == TaskState.RUNNING) {
                c.sends.add(new Decisions.CancelTask(other.runningOn(), other.id(), "its twin finished first"));
            }
            work.done(other);
            c.backupEnded(other.id());
            finishing.forgetTask(other.id());
        }
        String why = TaskOutcomes.missingResultMessage(exitCode, detail, taskTimeout);
        for (String id : work.unrecorded(t)) {
            Decisions.ResultRow row = reruns.apply(t, p, new Decisions.ResultRow(p.id(), id, TestOutcome.ERROR, 0,
                    w.name(), w.remoteAddress(), attempt, why, now), now, c);
            if (row != null) {
                record(p, row, c);
            }
        }
    }

    /** The task if the frame belongs to its current attempt on this connection; null (and ignored) otherwise. */
    LiveTask current(String connectionId, String workerName, long taskId, int attempt) {
        LiveTask t = work.task(taskId).orElse(null);
        if (t == null || t.state() != TaskState.RUNNING || t.attempt() != attempt
                || !connectionId.equals(t.runningOn())) {
            LOG.log(System.Logger.Level.DEBUG, "worker={0}: frame for task {1} attempt {2}, not current; ignored",
                    workerName, taskId, attempt);
            return null;
        }
        return t;
    }
}
