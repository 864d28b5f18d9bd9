package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.ProjectStatus;

/**
 * A project as the scheduler loads it and hands it back to be saved.
 *
 * @param id             the project
 * @param evaluationId   its evaluation
 * @param name           its name (its duration history is that of earlier projects of the same name)
 * @param packageId      its package, or null while it is being fetched
 * @param packageBytes   the package's size
 * @param status         where its run stands
 * @param reason         why it failed, or a note on how it ended; null when there is none
 * @param collectedCount how many tests collection found, or null before
 */
public record ProjectRow(long id, long evaluationId, String name, String packageId, long packageBytes,
                         ProjectStatus status, String reason, Integer collectedCount) {
}
