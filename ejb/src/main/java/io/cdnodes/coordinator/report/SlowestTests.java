package io.cdnodes.coordinator.report;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A project's slowest tests and how their durations went: fed the project's results oldest evaluation first, it
 * ranks the tests by their duration in the last evaluation that ran them, and keeps each one's history. Plain.
 */
public final class SlowestTests {

    /** One result of the project's history. */
    public record Seen(long evaluationId, String submittedAt, String nodeId, String outcome, double duration) {
    }

    /** One run of a test: in which evaluation, how long, how it ended. */
    @JsonbPropertyOrder({"evaluation", "submittedAt", "duration", "outcome"})
    public record Run(long evaluation, @JsonbProperty("submitted_at") String submittedAt, double duration,
                      String outcome) {
    }

    /** A test with its last duration, its mean, and every run, oldest first. */
    @JsonbPropertyOrder({"nodeId", "last", "mean", "runs"})
    public record Test(@JsonbProperty("nodeid") String nodeId, double last, double mean, List<Run> runs) {
    }

    /** The project's slowest tests, slowest first. */
    @JsonbPropertyOrder({"project", "evaluations", "tests"})
    public record Report(String project, int evaluations, List<Test> tests) {
    }

    private SlowestTests() {
    }

    /** @param history the project's results, oldest evaluation first; @param top how many tests at most */
    public static Report of(String project, List<Seen> history, int top) {
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        java.util.Set<Long> evaluations = new java.util.HashSet<>();
        for (Seen s : history) {
            evaluations.add(s.evaluationId());
            runs.computeIfAbsent(s.nodeId(), k -> new ArrayList<>())
                    .add(new Run(s.evaluationId(), s.submittedAt(), s.duration(), s.outcome()));
        }
        List<Test> tests = new ArrayList<>();
        runs.forEach((node, list) -> tests.add(new Test(node, list.get(list.size() - 1).duration(),
                list.stream().mapToDouble(Run::duration).average().orElse(0), List.copyOf(list))));
        tests.sort(Comparator.comparingDouble(Test::last).reversed().thenComparing(Test::nodeId));
        return new Report(project, evaluations.size(), List.copyOf(tests.subList(0, Math.min(top, tests.size()))));
    }
}
