package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.Evaluation;
import io.cdnodes.coordinator.evaluation.OptionsJson;
import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.coordinator.workers.WorkerPool;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * What the dispatcher knows beyond the database: the connected workers, node ids reported by running
 * collections, the node each running task has started, the lost-worker history, cached run options, what the
 * results of projects planned without history show about their durations, and which evaluations the transaction in progress changed or finished. Not thread-safe: owned by the
 * {@link Dispatcher}, touched only under its lock.
 */
final class DispatchState {

    final WorkerPool pool = new WorkerPool();
    final Recovery recovery = new Recovery();
    /** Node ids (and their shared scopes) reported so far by running COLLECT tasks, by task id. */
    final Map<Long, CollectedNodes> collecting = new HashMap<>();
    /** The node each running task reported started and not yet finished, by task id. */
    final Map<Long, String> runningNode = new HashMap<>();
    private final Map<Long, RunOptions> options = new HashMap<>();
    private final Set<Long> touched = new HashSet<>();
    private final Set<Long> finished = new HashSet<>();
    /** The evaluation served last, so that the next round starts with another one. */
    long lastEvaluationServed = -1;
    /** Projects planned with no history, and what their results show so far: {seconds, count}, by project id. */
    private final Map<Long, double[]> plannedBlind = new HashMap<>();
    /** How many results of a project planned with no history are needed before their mean is trusted. */
    static final int RESULTS_TO_LEARN = 8;

    RunOptions options(Evaluation e) {
        return options.computeIfAbsent(e.getId(), id -> OptionsJson.read(e.getOptionsJson()));
    }

    void touched(long evaluationId) {
        touched.add(evaluationId);
    }

    void finished(long evaluationId) {
        finished.add(evaluationId);
        touched.add(evaluationId);
        options.remove(evaluationId);
    }

    /** The evaluations changed and finished since the last call; both sets are cleared. */
    List<Set<Long>> drainChanges() {
        List<Set<Long>> out = List.of(new HashSet<>(touched), new HashSet<>(finished));
        touched.clear();
        finished.clear();
        return out;
    }

    /** The project was planned with no duration history: its results are watched ({@link #learnedMean}). */
    void plannedBlind(long projectId) {
        plannedBlind.put(projectId, new double[2]);
    }

    /** A result of the project was recorded. */
    void observed(long projectId, double seconds) {
        double[] o = plannedBlind.get(projectId);
        if (o != null) {
            o[0] += Math.max(0, seconds);
            o[1]++;
        }
    }

    /**
     * The mean duration of the results of a project planned with no history, once there are enough of them; empty
     * for a project planned from history, or when the coordinator restarted since it was planned.
     */
    OptionalDouble learnedMean(long projectId) {
        double[] o = plannedBlind.get(projectId);
        return o != null && o[1] >= RESULTS_TO_LEARN ? OptionalDouble.of(o[0] / o[1]) : OptionalDouble.empty();
    }

    void forgetProject(long projectId) {
        plannedBlind.remove(projectId);
    }

    void forgetTask(long taskId) {
        collecting.remove(taskId);
        runningNode.remove(taskId);
    }

}
