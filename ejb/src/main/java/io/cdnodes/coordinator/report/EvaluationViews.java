package io.cdnodes.coordinator.report;

import io.cdnodes.coordinator.results.Tally;
import io.cdnodes.coordinator.results.TestDetails;
import io.cdnodes.coordinator.results.TestAttemptRecord;
import io.cdnodes.coordinator.results.TestResultRecord;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The read models of evaluations, shaped as the HTTP API returns them (JSON-B names in snake case). Built
 * by {@link EvaluationQueries}; nothing here is persistent.
 */
public final class EvaluationViews {

    private EvaluationViews() {
    }

    /** How many tests are done, running and waiting. Before collection, a project's tests are not known yet. */
    @JsonbPropertyOrder({"total", "executed", "running", "pending", "collected"})
    public record Progress(long total, long executed, long running, long pending, boolean collected) {

        public static final Progress NONE = new Progress(0, 0, 0, 0, true);

        public Progress plus(Progress p) {
            return new Progress(total + p.total, executed + p.executed, running + p.running, pending + p.pending,
                    collected && p.collected);
        }
    }

    /** Counts of each outcome. */
    @JsonbPropertyOrder({"passed", "failed", "error", "skipped", "xfailed", "xpassed"})
    public record Outcomes(long passed, long failed, long error, long skipped, long xfailed, long xpassed) {
        public static Outcomes of(Tally t) {
            return new Outcomes(t.passed(), t.failed(), t.error(), t.skipped(), t.xfailed(), t.xpassed());
        }
    }

    /** One test module (file) of a project. */
    @JsonbPropertyOrder({"module", "tests", "passedPercent", "failedPercent", "outcomes"})
    public record ModuleView(String module, long tests,
                             @JsonbProperty("passed_percent") double passedPercent,
                             @JsonbProperty("failed_percent") double failedPercent,
                             Outcomes outcomes) {
    }

    /**
     * One test's result: {@code message} is one line; {@code phase}, {@code reason}, {@code longrepr},
     * {@code stdout}, {@code stderr}, {@code log} and {@code properties} are pytest's report, each present only when
     * it reported one ({@code project} only where the test is shown on its own). A test that failed or errored and
     * ran again ({@code reruns}) has its earlier {@code attempts}, and {@code flaky: true} when it passed at last.
     * {@code started_at} and {@code finished_at} place it in time (a timeline): the first null for a result the
     * coordinator made itself; {@code twin: true} when a speculative twin of its batch ran it and reported first.
     */
    @JsonbPropertyOrder({"project", "nodeId", "outcome", "duration", "worker", "attempt", "startedAt", "finishedAt",
            "message", "phase", "reason", "longrepr", "stdout", "stderr", "log", "properties", "flaky", "twin",
            "attempts"})
    public record TestView(String project, @JsonbProperty("nodeid") String nodeId, String outcome, double duration,
                           String worker, int attempt, @JsonbProperty("started_at") String startedAt,
                           @JsonbProperty("finished_at") String finishedAt, String message, String phase,
                           String reason, String longrepr, String stdout, String stderr, String log,
                           Map<String, String> properties, Boolean flaky, Boolean twin, List<AttemptView> attempts) {

        public static TestView of(String project, TestResultRecord r) {
            return of(project, r, List.of());
        }

        /** @param earlier the test's earlier attempts (it failed and ran again), oldest first; empty for none */
        public static TestView of(String project, TestResultRecord r, List<AttemptView> earlier) {
            TestDetails d = r.getDetails();
            return new TestView(project, r.getNodeId(), r.getOutcome().wireName(), r.getDuration(),
                    r.getWorkerName(), r.getAttempt(), str(r.getStartedAt()), str(r.getRecordedAt()), r.getMessage(),
                    d.phase(), d.reason(), d.longrepr(),
                    d.stdout(), d.stderr(), d.log(), d.properties().isEmpty() ? null : d.properties(),
                    r.isFlaky() ? Boolean.TRUE : null, r.isTwin() ? Boolean.TRUE : null, earlier.isEmpty() ? null : List.copyOf(earlier));
        }
    }

    /** An earlier attempt of a test that failed or errored and ran again ({@code reruns}): 1 is the first run. */
    @JsonbPropertyOrder({"attempt", "outcome", "duration", "worker", "startedAt", "finishedAt", "message", "phase",
            "reason", "longrepr", "stdout", "stderr", "log", "properties"})
    public record AttemptView(int attempt, String outcome, double duration, String worker,
                              @JsonbProperty("started_at") String startedAt,
                              @JsonbProperty("finished_at") String finishedAt, String message,
                              String phase, String reason, String longrepr, String stdout, String stderr, String log,
                              Map<String, String> properties) {

        public static AttemptView of(TestAttemptRecord a) {
            TestDetails d = a.getDetails();
            return new AttemptView(a.getNumber(), a.getOutcome().wireName(), a.getDuration(), a.getWorkerName(),
                    str(a.getStartedAt()), str(a.getRecordedAt()), a.getMessage(), d.phase(), d.reason(), d.longrepr(), d.stdout(), d.stderr(), d.log(),
                    d.properties().isEmpty() ? null : d.properties());
        }
    }

    /** One project. {@code tests} is present only when asked for. */
    @JsonbPropertyOrder({"id", "name", "status", "reason", "grade", "passedPercent", "failedPercent",
            "progress", "outcomes", "modules", "tests"})
    public record ProjectView(long id, String name, String status, String reason, Double grade,
                              @JsonbProperty("passed_percent") double passedPercent,
                              @JsonbProperty("failed_percent") double failedPercent,
                              Progress progress, Outcomes outcomes, List<ModuleView> modules, List<TestView> tests) {
    }

    /** One evaluation in full. */
    @JsonbPropertyOrder({"id", "status", "source", "submittedAt", "startedAt", "finishedAt", "elapsedSeconds",
            "grade", "passedPercent", "failedPercent", "progress", "outcomes", "projects"})
    public record EvaluationView(long id, String status, String source,
                                 @JsonbProperty("submitted_at") String submittedAt,
                                 @JsonbProperty("started_at") String startedAt,
                                 @JsonbProperty("finished_at") String finishedAt,
                                 @JsonbProperty("elapsed_seconds") double elapsedSeconds,
                                 Double grade,
                                 @JsonbProperty("passed_percent") double passedPercent,
                                 @JsonbProperty("failed_percent") double failedPercent,
                                 Progress progress, Outcomes outcomes, List<ProjectView> projects) {
    }

    /** One line of the evaluation list; {@code owner} (the key that submitted it) only in the admin's list. */
    @JsonbPropertyOrder({"id", "status", "source", "submittedAt", "finishedAt", "projects", "grade", "outcomes",
            "owner"})
    public record EvaluationSummary(long id, String status, String source,
                                    @JsonbProperty("submitted_at") String submittedAt,
                                    @JsonbProperty("finished_at") String finishedAt,
                                    int projects, Double grade, Outcomes outcomes, String owner) {
    }

    /** One result as a live event: {@code seq} orders results within the coordinator and resumes a stream. */
    @JsonbPropertyOrder({"seq", "project", "nodeId", "outcome", "duration", "worker", "message"})
    public record TestEvent(long seq, String project, @JsonbProperty("nodeid") String nodeId, String outcome,
                            double duration, String worker, String message) {
    }

    private static String str(java.time.Instant i) {
        return i == null ? null : i.toString();
    }
}
