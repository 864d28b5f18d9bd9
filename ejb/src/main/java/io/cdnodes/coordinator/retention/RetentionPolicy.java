package io.cdnodes.coordinator.retention;

import io.cdnodes.coordinator.evaluation.EvaluationStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What retention deletes, decided against a clock. An evaluation goes when it has finished (done, failed or
 * cancelled) longer ago than the retention; one still queued or running is never deleted, however old. A package
 * goes when no remaining project uses it and it was neither stored nor reused within {@link #PACKAGE_GRACE}: a
 * submission not yet committed may have just stored (or found) the same content, and the store notes every
 * reuse on the file.
 */
public final class RetentionPolicy {

    /** How recently a package may have been stored or reused and still not be deleted. */
    static final Duration PACKAGE_GRACE = Duration.ofHours(1);

    private final Optional<Duration> keep;
    private final Clock clock;

    /** @param keep how long finished evaluations are kept; empty keeps them forever */
    public RetentionPolicy(Optional<Duration> keep, Clock clock) {
        keep.ifPresent(k -> {
            if (k.isNegative() || k.isZero()) {
                throw new IllegalArgumentException("a retention must be positive: " + k);
            }
        });
        this.keep = keep;
        this.clock = clock;
    }

    public boolean enabled() {
        return keep.isPresent();
    }

    /** Evaluations that finished before this instant are deleted; empty when retention is off. */
    public Optional<Instant> cutoff() {
        return keep.map(k -> clock.instant().minus(k));
    }

    /** Whether an evaluation with this status, finished at {@code finishedAt} (null: not finished), is deleted now. */
    public boolean expired(EvaluationStatus status, Instant finishedAt) {
        Optional<Instant> cutoff = cutoff();
        return cutoff.isPresent() && status.terminal() && finishedAt != null && finishedAt.isBefore(cutoff.get());
    }

    /**
     * Whether a package is deleted now.
     *
     * @param usedByAProject whether any remaining project's package it is
     * @param lastStored     when it was last stored or reused (its file's modification time)
     */
    public boolean packageDeletable(boolean usedByAProject, Instant lastStored) {
        return enabled() && !usedByAProject && lastStored.isBefore(packageUnusedSince());
    }

    /** Packages stored or reused after this instant are kept whatever else holds. */
    public Instant packageUnusedSince() {
        return clock.instant().minus(PACKAGE_GRACE);
    }
}
