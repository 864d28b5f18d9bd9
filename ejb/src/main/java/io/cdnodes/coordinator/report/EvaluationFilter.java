package io.cdnodes.coordinator.report;

import io.cdnodes.coordinator.evaluation.EvaluationStatus;
import java.util.List;

/**
 * Which evaluations a list shows, and which page of them.
 *
 * @param statuses only these (empty: any)
 * @param source   only those whose source contains this, ignoring case (null: any)
 * @param owner    only those of this key (null: any); it narrows an admin's list only
 * @param offset   how many to skip, newest first
 * @param limit    how many at most, 1 to {@value #MAX_LIMIT}
 */
public record EvaluationFilter(List<EvaluationStatus> statuses, String source, String owner, int offset, int limit) {

    public static final int MAX_LIMIT = 10_000;
    public static final EvaluationFilter ALL = new EvaluationFilter(List.of(), null, null, 0, MAX_LIMIT);

    public EvaluationFilter {
        statuses = statuses == null ? List.of() : List.copyOf(statuses);
        source = source == null || source.isBlank() ? null : source.strip();
        owner = owner == null || owner.isBlank() ? null : owner.strip();
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more: " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ": " + limit);
        }
    }
}
