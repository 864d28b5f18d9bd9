/**
 * Evaluations and their projects: the persistent record of what a user submitted, its lifecycle
 * ({@link io.cdnodes.coordinator.evaluation.EvaluationStatus}), the run options and how they are stored, and
 * accepting submissions. How an evaluation is shown is in {@code report}.
 */
package io.cdnodes.coordinator.evaluation;
