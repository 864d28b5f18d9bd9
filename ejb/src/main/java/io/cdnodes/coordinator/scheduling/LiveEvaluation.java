package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.EvaluationStatus;
import io.cdnodes.coordinator.evaluation.RunOptions;
import java.time.Instant;
import java.util.List;

/**
 * An unfinished evaluation in the scheduler's memory: its options, its projects (ids, in order) and its progress.
 * Every change is kept in the {@link Journal} first. Not thread-safe: owned by {@link LiveWork}.
 */
final class LiveEvaluation {

    private final Journal journal;
    private final long id;
    private final RunOptions options;
    private final List<Long> projectIds;
    private EvaluationStatus status;
    private Instant startedAt;
    private Instant finishedAt;
    /**
     * Characters of test reports kept for it since this coordinator started (not kept across restarts); an array,
     * so that the journal keeps it apart from the status (it keeps one restore per owner and event).
     */
    private final long[] reportChars = new long[1];

    LiveEvaluation(Journal journal, long id, RunOptions options, List<Long> projectIds, EvaluationRow row) {
        this.journal = journal;
        this.id = id;
        this.options = options;
        this.projectIds = List.copyOf(projectIds);
        this.status = row.status();
        this.startedAt = row.startedAt();
        this.finishedAt = row.finishedAt();
    }

    EvaluationRow row() {
        return new EvaluationRow(id, status, startedAt, finishedAt);
    }

    long id() {
        return id;
    }

    RunOptions options() {
        return options;
    }

    List<Long> projectIds() {
        return projectIds;
    }

    EvaluationStatus status() {
        return status;
    }

    /** Marks it running when its first work is handed out. */
    void started(Instant at) {
        if (status == EvaluationStatus.QUEUED) {
            keep();
            status = EvaluationStatus.RUNNING;
            startedAt = at;
        }
    }

    void finished(EvaluationStatus outcome, Instant at) {
        if (!status.terminal()) {
            keep();
            status = outcome;
            finishedAt = at;
            if (startedAt == null) {
                startedAt = at;
            }
        }
    }

    /**
     * Counts {@code chars} of a test's report against the evaluation's share, unless they would take it past
     * {@code limit}: then nothing is counted and the answer is false (the report is left out).
     */
    boolean spendReportChars(long chars, long limit) {
        if (reportChars[0] + chars > limit) {
            return false;
        }
        long was = reportChars[0];
        journal.keep(reportChars, () -> reportChars[0] = was);
        reportChars[0] += chars;
        return true;
    }

    private void keep() {
        EvaluationRow was = row();
        journal.keep(this, () -> {
            status = was.status();
            startedAt = was.startedAt();
            finishedAt = was.finishedAt();
        });
    }
}
