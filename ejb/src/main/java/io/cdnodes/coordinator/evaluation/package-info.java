/**
 * Evaluations and their projects: the persistent record of what a user submitted, its lifecycle
 * ({@link io.cdnodes.coordinator.evaluation.EvaluationStatus}), the run options, and the read models the
 * HTTP API answers with.
 */
package io.cdnodes.coordinator.evaluation;
