package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.EvaluationStatus;
import java.time.Instant;

/**
 * An evaluation's progress as the scheduler hands it back to be saved.
 *
 * @param id         the evaluation
 * @param status     queued, running or how it ended
 * @param startedAt  when its first work was handed out, or null
 * @param finishedAt when it ended, or null
 */
public record EvaluationRow(long id, EvaluationStatus status, Instant startedAt, Instant finishedAt) {
}
