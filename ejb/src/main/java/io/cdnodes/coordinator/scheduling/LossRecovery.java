package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.TaskKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What becomes of a task whose worker was lost (it died, froze past its heartbeat timeout, or lost its
 * connection). Nodes without a result go back to the queue as a new attempt, preferably to the task's backup
 * worker, which already holds the package. The node that was running when the worker was lost is suspect: it
 * is retried once, alone and on another worker; if a second worker is lost while running it, it is reported as
 * an error that says so instead of being tried a third time.
 *
 * <p>Remembers which workers were lost under which node for the life of the coordinator (not the restart
 * recovery, which requeues what a stopped coordinator left running: see {@link Scheduler#start}). Changes are kept
 * in the {@link Journal}. Not thread-safe: owned by the {@link Scheduler}.
 */
public final class LossRecovery {

    /** How many lost workers make a node the culprit. */
    public static final int LOSSES_TO_BLAME = 2;

    /**
     * A task that was running on a lost worker.
     *
     * @param projectId   its project
     * @param kind        collect or run
     * @param unrecorded  its node ids that have no result yet, in order
     * @param runningNode the node reported started and not finished, if any
     * @param worker      the lost worker's name
     * @param backup      the task's backup worker, if any
     */
    public record Lost(long projectId, TaskKind kind, List<String> unrecorded, String runningNode, String worker,
                       String backup) {
        public Lost {
            unrecorded = List.copyOf(unrecorded);
        }
    }

    /**
     * What to do.
     *
     * @param requeue   node ids that go back into the task (empty for a collection: it is simply redone)
     * @param preferred the worker that should take them (the backup), or null
     * @param isolated  the suspect node, to run alone in a task of its own avoiding {@code avoid}, or null
     * @param avoid     the lost worker's name
     * @param errors    node id → the error to record instead of running it again
     */
    public record Plan(List<String> requeue, String preferred, String isolated, String avoid, Map<String, String> errors) {
        public Plan {
            requeue = List.copyOf(requeue);
            errors = Map.copyOf(errors);
        }

        /** Whether nothing is left to run for the task. */
        public boolean nothingToRun(TaskKind kind) {
            return kind == TaskKind.RUN && requeue.isEmpty() && isolated == null;
        }
    }

    private final Map<String, List<String>> lostUnder = new LinkedHashMap<>();
    private final Journal journal;

    LossRecovery(Journal journal) {
        this.journal = journal;
    }

    public Plan afterLoss(Lost lost) {
        if (lost.kind() == TaskKind.COLLECT) {
            return new Plan(List.of(), lost.backup(), null, lost.worker(), Map.of());
        }
        String suspect = lost.runningNode();
        if (suspect == null || !lost.unrecorded().contains(suspect)) {
            return new Plan(lost.unrecorded(), lost.backup(), null, lost.worker(), Map.of());
        }
        List<String> rest = new ArrayList<>(lost.unrecorded());
        rest.remove(suspect);
        journal.keep(lostUnder);
        List<String> workers = lostUnder.computeIfAbsent(lost.projectId() + "\n" + suspect, k -> new ArrayList<>());
        journal.keep(workers);
        workers.add(lost.worker());
        if (workers.size() >= LOSSES_TO_BLAME) {
            Map<String, String> errors = new LinkedHashMap<>();
            errors.put(suspect, "this test was running when workers " + String.join(" and ", workers)
                    + " were lost (died, froze or lost their connection); it was not run a third time");
            return new Plan(rest, lost.backup(), null, lost.worker(), errors);
        }
        return new Plan(rest, lost.backup(), suspect, lost.worker(), Map.of());
    }

    /** The workers lost while this node was running, if any. */
    public Optional<List<String>> lossesUnder(long projectId, String nodeId) {
        return Optional.ofNullable(lostUnder.get(projectId + "\n" + nodeId)).map(List::copyOf);
    }
}
