package io.cdnodes.coordinator.evaluation;

/**
 * Cancels evaluations. Implemented by the dispatcher, which owns the running work: this interface lets the
 * evaluation side ask for it without depending on scheduling.
 */
public interface Cancellation {

    /**
     * Stops the evaluation's running work, drops its queued work, and ends its unfinished projects as cancelled.
     * Results already recorded are kept.
     *
     * @return false when the evaluation had already finished
     * @throws EvaluationNotFoundException when there is no such evaluation
     */
    boolean cancel(long evaluationId);
}
