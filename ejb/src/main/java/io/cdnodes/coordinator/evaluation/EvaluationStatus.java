package io.cdnodes.coordinator.evaluation;

import java.util.Locale;

/** Where an evaluation stands. */
public enum EvaluationStatus {
    QUEUED, RUNNING, DONE, FAILED, CANCELLED;

    public boolean terminal() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
