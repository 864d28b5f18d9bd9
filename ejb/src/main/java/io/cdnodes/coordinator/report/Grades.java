package io.cdnodes.coordinator.report;

import io.cdnodes.coordinator.evaluation.ProjectStatus;
import io.cdnodes.coordinator.results.Tally;
import java.util.List;
import java.util.Objects;

/**
 * Grades on 0..20. A project's grade is passed / (passed + failed) * 20 (see {@link Tally#grade()}); a
 * project that could not be run at all gets 0; a project where nothing passed or failed (only skips, or no
 * tests) has no grade. The evaluation's grade is the mean of its projects' grades.
 */
public final class Grades {

    private Grades() {
    }

    public static Double project(ProjectStatus status, Tally tally) {
        if (status == ProjectStatus.FAILED) {
            return 0.0;
        }
        return tally.grade();
    }

    public static Double mean(List<Double> grades) {
        List<Double> present = grades.stream().filter(Objects::nonNull).toList();
        if (present.isEmpty()) {
            return null;
        }
        double sum = present.stream().mapToDouble(Double::doubleValue).sum();
        return Math.round(sum / present.size() * 100) / 100.0;
    }
}
