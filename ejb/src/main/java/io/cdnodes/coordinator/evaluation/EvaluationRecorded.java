package io.cdnodes.coordinator.evaluation;

/**
 * A CDI event: an evaluation with uploaded projects was recorded. Fired inside the transaction that records it; the
 * scheduling side observes it once that transaction has committed, and queues the projects' collections.
 */
public record EvaluationRecorded(long evaluationId) {
}
