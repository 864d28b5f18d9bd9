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
 * and failed or errored in a later one (or the other way round), its code unchanged or not, or that passed on a rerun
 * within one ({@code reruns}: its earlier attempts are runs too). Skips and xfails count as neither. Plain: fed the
 * results in evaluation order, a test's earlier attempts before its result.
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
        Map<String, Counts> byNode = new LinkedHashMap<>();
        java.util.Set<Long> evaluations = new java.util.HashSet<>();
        for (Seen s : history) {
            evaluations.add(s.evaluationId());
            byNode.computeIfAbsent(s.nodeId(), k -> new Counts()).add(s);
        }
        List<Flaky> flaky = new ArrayList<>();
        byNode.forEach((node, c) -> {
            if (c.flips > 0) {
                flaky.add(new Flaky(node, c.runs, c.passed, c.failed, c.flips, c.last.outcome().wireName(),
                        c.last.evaluationId()));
            }
        });
        flaky.sort(Comparator.comparingInt(Flaky::flips).reversed().thenComparing(Flaky::nodeId));
        return new Report(project, evaluations.size(), flaky);
    }

    /** One test's history so far. */
    private static final class Counts {
        private int runs;
        private int passed;
        private int failed;
        private int flips;
        private Seen last;
        /** Whether it last passed (true) or failed (false); null before either. */
        private Boolean lastPassed;

        void add(Seen s) {
            runs++;
            last = s;
            Boolean passes = switch (s.outcome()) {
                case PASSED, XPASSED -> Boolean.TRUE;
                case FAILED, ERROR -> Boolean.FALSE;
                case SKIPPED, XFAILED -> null;
            };
            if (passes == null) {
                return;
            }
            if (passes) {
                passed++;
            } else {
                failed++;
            }
            if (lastPassed != null && !lastPassed.equals(passes)) {
                flips++;
            }
            lastPassed = passes;
        }
    }
}
