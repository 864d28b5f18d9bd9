package io.cdnodes.coordinator.evaluation;

import java.util.Locale;

/** Where one project of an evaluation stands. */
public enum ProjectStatus {
    /** Its repository is being downloaded or cloned; it has no package yet. */
    FETCHING,
    /** Waiting for a worker to collect its tests. */
    QUEUED,
    /** A worker is collecting its tests. */
    COLLECTING,
    /** Its tests are being run. */
    RUNNING,
    /** Every collected test has a result (or collection ended the run, as pytest would). */
    DONE,
    /** It could not be run at all; {@code failureReason} says why. */
    FAILED,
    CANCELLED;

    public boolean terminal() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
