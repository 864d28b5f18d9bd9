package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.EvaluationStatus;
import io.cdnodes.coordinator.evaluation.ProjectStatus;
import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.coordinator.evaluation.TaskState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The scheduling core's storage in memory, for unit tests: it serves the {@link SchedulingStore} reads and takes
 * {@link Decisions} the way the dispatcher's writer does, refusing a second result for a node (as the result table's
 * unique constraint would). It can be told to fail the next write, as a database might.
 */
final class FakeStore implements SchedulingStore {

    private record Stored(EvaluationRow row, RunOptions options, List<Long> projects) {
    }

    private final Map<Long, Stored> evaluations = new LinkedHashMap<>();
    final Map<Long, ProjectRow> projects = new LinkedHashMap<>();
    final Map<Long, TaskRow> tasks = new LinkedHashMap<>();
    final Map<Long, Map<String, Decisions.ResultRow>> results = new HashMap<>();
    /** Earlier attempts of tests run again, by project, in the order they were saved. */
    final Map<Long, List<Decisions.ResultRow>> attempts = new HashMap<>();
    final Map<String, Map<String, Double>> history = new HashMap<>();
    /** Projects that run only some of what they collect (a rerun), by project id. */
    final Map<Long, Set<String>> selections = new HashMap<>();
    private long ids = 100;
    boolean failNextWrite;

    /**
     * Records an evaluation of uploaded projects, as intake does (no task yet), unless it is recorded already.
     * Returns the project ids.
     */
    List<Long> evaluation(long id, RunOptions options, String... projectNames) {
        if (evaluations.containsKey(id)) {
            return evaluations.get(id).projects();
        }
        List<Long> ids = new ArrayList<>();
        for (String name : projectNames) {
            long p = ++this.ids;
            projects.put(p, new ProjectRow(p, id, name, "pkg-" + name, 10, ProjectStatus.QUEUED, null, null));
            ids.add(p);
        }
        evaluations.put(id, new Stored(new EvaluationRow(id, EvaluationStatus.QUEUED, null, null), options, ids));
        return ids;
    }

    EvaluationRow evaluationRow(long id) {
        return evaluations.get(id).row();
    }

    void write(Decisions d) {
        if (failNextWrite) {
            failNextWrite = false;
            throw new IllegalStateException("the database is gone");
        }
        for (TaskRow t : d.tasks()) {
            if (t.removed()) {
                tasks.remove(t.id());
            } else {
                tasks.put(t.id(), t);
            }
        }
        d.projects().forEach(p -> projects.put(p.id(), p));
        d.evaluations().forEach(e -> evaluations.compute(e.id(), (k, s) -> new Stored(e, s.options(), s.projects())));
        for (Decisions.ResultRow r : d.attempts()) {
            attempts.computeIfAbsent(r.projectId(), k -> new ArrayList<>()).add(r);
        }
        for (Decisions.ResultRow r : d.results()) {
            Map<String, Decisions.ResultRow> of = results.computeIfAbsent(r.projectId(), k -> new LinkedHashMap<>());
            if (of.putIfAbsent(r.nodeId(), r) != null) {
                throw new AssertionError("a second result for " + r.nodeId());
            }
        }
    }

    @Override
    public List<LiveLoad> unfinished() {
        return evaluations.values().stream().filter(s -> !s.row().status().terminal()).map(this::load).toList();
    }

    @Override
    public Optional<LiveLoad> evaluation(long evaluationId) {
        return Optional.ofNullable(evaluations.get(evaluationId)).map(this::load);
    }

    @Override
    public Optional<LiveLoad> evaluationOfProject(long projectId) {
        return Optional.ofNullable(projects.get(projectId)).flatMap(p -> evaluation(p.evaluationId()));
    }

    @Override
    public Map<String, Double> durationHistory(String projectName, long excludingProjectId) {
        return history.getOrDefault(projectName, Map.of());
    }

    @Override
    public long maxTaskId() {
        return tasks.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private Map<String, Integer> attemptCounts(long projectId) {
        Map<String, Integer> out = new LinkedHashMap<>();
        attempts.getOrDefault(projectId, List.of()).forEach(r -> out.merge(r.nodeId(), 1, Integer::sum));
        return out;
    }

    private LiveLoad load(Stored s) {
        List<ProjectLoad> out = new ArrayList<>();
        for (long p : s.projects()) {
            ProjectRow row = projects.get(p);
            Set<String> recorded = row.status().terminal() ? Set.of()
                    : Set.copyOf(results.getOrDefault(p, Map.of()).keySet());
            out.add(new ProjectLoad(row, recorded, tasks.values().stream()
                    .filter(t -> t.projectId() == p && t.state() != TaskState.DONE).toList(), selections.get(p),
                    row.status().terminal() ? Map.of() : attemptCounts(p)));
        }
        return new LiveLoad(s.row(), s.options(), out);
    }
}
