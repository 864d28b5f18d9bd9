package io.cdnodes.coordinator.scheduling;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What running assignments have reported so far and is not stored: the node ids of each running collection, and
 * the node each running task has started and not finished (the suspect, should its worker be lost). Every change
 * is kept in the {@link Journal} first. Not thread-safe: owned by the {@link Scheduler}.
 */
final class InFlight {

    private final Journal journal;
    /** Node ids (and their shared scopes) reported so far by running COLLECT tasks, by task id. */
    private final Map<Long, CollectedNodes> collecting = new LinkedHashMap<>();
    /** The node each running task reported started and not yet finished, by task id. */
    private final Map<Long, String> runningNode = new LinkedHashMap<>();
    /** When that node's TEST_STARTED came, by task id. */
    private final Map<Long, Instant> runningSince = new LinkedHashMap<>();

    InFlight(Journal journal) {
        this.journal = journal;
    }

    /** A collection was handed to this connection as this attempt: only it may fill it. */
    void collecting(long taskId, String connectionId, int attempt, long evaluationId) {
        journal.keep(collecting);
        collecting.put(taskId, new CollectedNodes(connectionId, attempt, evaluationId));
    }

    Optional<CollectedNodes> collection(long taskId) {
        return Optional.ofNullable(collecting.get(taskId));
    }

    /** The collection ended: what it reported, or nothing when it reported nothing (or its report was lost). */
    CollectedNodes takeCollection(long taskId) {
        if (!collecting.containsKey(taskId)) {
            return CollectedNodes.none();
        }
        journal.keep(collecting);
        return collecting.remove(taskId);
    }

    void started(long taskId, String nodeId, Instant at) {
        journal.keep(runningNode);
        journal.keep(runningSince);
        runningNode.put(taskId, nodeId);
        runningSince.put(taskId, at);
    }

    /** When the node started, if it is the one the task reported running. */
    Optional<Instant> startedAt(long taskId, String nodeId) {
        return nodeId.equals(runningNode.get(taskId)) ? Optional.ofNullable(runningSince.get(taskId))
                : Optional.empty();
    }

    /** A result came for the node: it is no longer running. */
    void finished(long taskId, String nodeId) {
        if (nodeId.equals(runningNode.get(taskId))) {
            journal.keep(runningNode);
            journal.keep(runningSince);
            runningNode.remove(taskId);
            runningSince.remove(taskId);
        }
    }

    /** The task's assignment ended: no node of it runs any more. */
    void forgetRunningNode(long taskId) {
        if (runningNode.containsKey(taskId)) {
            journal.keep(runningNode);
            journal.keep(runningSince);
            runningNode.remove(taskId);
            runningSince.remove(taskId);
        }
    }

    Optional<String> runningNode(long taskId) {
        return Optional.ofNullable(runningNode.get(taskId));
    }

    void forgetTask(long taskId) {
        if (collecting.containsKey(taskId)) {
            journal.keep(collecting);
            collecting.remove(taskId);
        }
        if (runningNode.containsKey(taskId)) {
            journal.keep(runningNode);
            journal.keep(runningSince);
            runningNode.remove(taskId);
            runningSince.remove(taskId);
        }
    }
}
