package io.cdnodes.coordinator.report;

import io.cdnodes.coordinator.results.TestOutcome;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which tests of a project flipped between passing and failing across its evaluations: a test that passed in one
 * and failed or errored in a later one (or the other way round), its code unchanged or not. Skips and xfails count
 * as neither. Plain: fed the results in evaluation order.
 */
public final class FlakyTests {

    /** One result of the project's history: in which evaluation, which test, how it ended. */
    public record Seen(long evaluationId, String nodeId, TestOutcome outcome) {
    }

    /** A test that flipped: how often it ran, passed, failed, flipped, and how it ended last. */
    @JsonbPropertyOrder({"nodeId", "runs", "passed", "failed", "flips", "lastOutcome", "lastEvaluation"})
    public record Flaky(@JsonbProperty("nodeid") String nodeId, int runs, int passed, int failed, int flips,
                        @JsonbProperty("last_outcome") String lastOutcome,
                        @JsonbProperty("last_evaluation") long lastEvaluation) {
    }

    /** The project's flaky tests. */
    @JsonbPropertyOrder({"project", "evaluations", "tests"})
    public record Report(String project, int evaluations, List<Flaky> tests) {
    }

    private FlakyTests() {
    }

    /** @param history the project's results, oldest evaluation first */
    public static Report of(String project, List<Seen> history) {
        Map<String, int[]> counts = new LinkedHashMap<>();   // runs, passed, failed, flips
        Map<String, Boolean> lastPassed = new LinkedHashMap<>();
        Map<String, Seen> last = new LinkedHashMap<>();
        java.util.Set<Long> evaluations = new java.util.HashSet<>();
        for (Seen s : history) {
            evaluations.add(s.evaluationId());
            int[] c = counts.computeIfAbsent(s.nodeId(), k -> new int[4]);
            c[0]++;
            last.put(s.nodeId(), s);
            Boolean passed = switch (s.outcome()) {
                case PASSED, XPASSED -> Boolean.TRUE;
                case FAILED, ERROR -> Boolean.FALSE;
                case SKIPPED, XFAILED -> null;
            };
            if (passed == null) {
                continue;
            }
            c[passed ? 1 : 2]++;
            Boolean before = lastPassed.put(s.nodeId(), passed);
            if (before != null && !before.equals(passed)) {
                c[3]++;
            }
        }
        List<Flaky> flaky = new ArrayList<>();
        counts.forEach((node, c) -> {
            if (c[3] > 0) {
                Seen l = last.get(node);
                flaky.add(new Flaky(node, c[0], c[1], c[2], c[3], l.outcome().wireName(), l.evaluationId()));
            }
        });
        flaky.sort(Comparator.comparingInt(Flaky::flips).reversed().thenComparing(Flaky::nodeId));
        return new Report(project, evaluations.size(), flaky);
    }
}
