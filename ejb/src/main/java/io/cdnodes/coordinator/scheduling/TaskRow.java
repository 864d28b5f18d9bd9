package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.TaskKind;
import io.cdnodes.coordinator.evaluation.TaskState;
import java.time.Instant;
import java.util.List;

/**
 * A task as it is stored: what the scheduler loads at start and hands back to be saved after each event.
 *
 * @param id              the assignment id on the wire
 * @param projectId       its project
 * @param kind            collect or run
 * @param state           pending, running or done
 * @param attempt         how many times it was handed out
 * @param nodeIds         node ids to run, in collection order (empty for a COLLECT)
 * @param preferredWorker the worker (name) round-robin planning gave it to, or null
 * @param runningOn       the connection running the current attempt, or null
 * @param runningOnName   that worker's name, or null
 * @param assignedAt      when the current attempt was handed out, or null
 * @param backupWorker    the worker that holds the package ahead of time to take over, or null
 * @param avoidWorker     a worker it should not go to while another can take it, or null
 * @param estimate        estimated seconds of work
 * @param twinOf          for a speculative twin: the task it duplicates, or null
 * @param whole           its tests must run together ({@link LiveTask#rerun})
 * @param removed         it was joined into another task: its row goes
 * @param notBefore       not to be handed out before this (a rerun's delay), or null
 * @param rerun           it runs again a test that failed or errored (the {@code reruns} option)
 */
public record TaskRow(long id, long projectId, TaskKind kind, TaskState state, int attempt, List<String> nodeIds,
                      String preferredWorker, String runningOn, String runningOnName, Instant assignedAt,
                      String backupWorker, String avoidWorker, double estimate, Long twinOf, boolean whole,
                      boolean removed, Instant notBefore, boolean rerun) {
    public TaskRow {
        nodeIds = List.copyOf(nodeIds);
    }
}
