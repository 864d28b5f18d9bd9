package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.Evaluation;
import io.cdnodes.coordinator.evaluation.OptionsJson;
import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.coordinator.workers.WorkerPool;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What the dispatcher knows beyond the database: the connected workers, node ids reported by running
 * collections, the node each running task has started, the lost-worker history, cached run options, what the
 * results of projects planned without history show about their durations and where such projects may run
 * ({@link SlowStart}), who collected each project, and which evaluations the transaction in progress changed or finished. Not thread-safe: owned by the
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
    /** Projects planned with no history, and what their running shows so far, by project id. */
    private final Map<Long, Observed> plannedBlind = new HashMap<>();
    /** Running tasks of projects planned with no history: their project, by task id. */
    private final Map<Long, Long> blindTasks = new HashMap<>();
    /** How many results of a project planned with no history are needed before their mean is trusted. */
    static final int RESULTS_TO_LEARN = 8;
    /** The worker that collected a project whose first batch it has not taken yet: its pytest session is warm. */
    final Map<Long, String> collectedBy = new HashMap<>();
    /** Projects planned with no history that only their collector may run until {@link SlowStart} decides. */
    final Map<Long, Probation> probation = new HashMap<>();
    /** Projects that {@link SlowStart} kept on a few workers: their names, by project id. */
    final Map<Long, Set<String>> confined = new HashMap<>();
    private double lookIn = -1;

    /** A project on probation: who collected it, and when it was planned. */
    record Probation(String collector, java.time.Instant plannedAt) {
    }

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

    /** The project was planned with no duration history: its running is watched ({@link #learnedMean}). */
    void plannedBlind(long projectId) {
        plannedBlind.put(projectId, new Observed());
    }

    /** A task was handed out: when its project was planned with no history, its frames are watched. */
    void assigned(long taskId, long projectId) {
        if (plannedBlind.containsKey(projectId)) {
            blindTasks.put(taskId, projectId);
        }
    }

    /** A result of a running task arrived: counted for its project when that was planned with no history. */
    void resultArrived(long taskId, double seconds) {
        Long project = blindTasks.get(taskId);
        if (project != null && plannedBlind.containsKey(project)) {
            plannedBlind.get(project).result(seconds);
        }
    }

    /**
     * A test of a running task started: noted for its project when that was planned with no history. Returns
     * whether the dispatcher should look again shortly (the project is on probation and no look is pending).
     */
    boolean testStarted(long taskId, java.time.Instant at) {
        Long project = blindTasks.get(taskId);
        Observed o = project == null ? null : plannedBlind.get(project);
        if (o == null) {
            return false;
        }
        o.started(at);
        return probation.containsKey(project) && o.scheduleLook();
    }

    /** What a project planned with no history shows so far. */
    Optional<Observed> observed(long projectId) {
        return Optional.ofNullable(plannedBlind.get(projectId));
    }

    /**
     * The mean duration of the results of a project planned with no history, once there are enough of them; empty
     * for a project planned from history, or when the coordinator restarted since it was planned.
     */
    OptionalDouble learnedMean(long projectId) {
        Observed o = plannedBlind.get(projectId);
        return o != null && o.results() >= RESULTS_TO_LEARN ? OptionalDouble.of(o.mean()) : OptionalDouble.empty();
    }

    /** Puts a project planned with no history on probation ({@link SlowStart}), to be looked at again when it is due. */
    void probation(long projectId, String collector, java.time.Instant now) {
        probation.put(projectId, new Probation(collector, now));
        lookAgainIn(SlowStart.PROBE_SECONDS + 0.02);
    }

    /** Asks for another dispatch round in {@code seconds} (the soonest asked since the last {@link #takeLookIn}). */
    void lookAgainIn(double seconds) {
        lookIn = lookIn < 0 ? seconds : Math.min(lookIn, seconds);
    }

    /** Milliseconds until the dispatch round asked for by {@link #lookAgainIn}, if one was; cleared. */
    OptionalLong takeLookIn() {
        double in = lookIn;
        lookIn = -1;
        return in < 0 ? OptionalLong.empty() : OptionalLong.of(Math.max(1, Math.round(in * 1000)));
    }

    /** The workers (names) that may run the project's batches now; empty when any may. */
    Optional<Set<String>> allowedWorkers(long projectId) {
        Probation p = probation.get(projectId);
        return p != null ? Optional.of(Set.of(p.collector())) : Optional.ofNullable(confined.get(projectId));
    }

    void forgetProject(long projectId) {
        plannedBlind.remove(projectId);
        blindTasks.values().removeIf(p -> p == projectId);
        collectedBy.remove(projectId);
        probation.remove(projectId);
        confined.remove(projectId);
    }

    void forgetTask(long taskId) {
        blindTasks.remove(taskId);
        collecting.remove(taskId);
        runningNode.remove(taskId);
    }

}
