package io.cdnodes.coordinator.evaluation;

/** Collect a project's tests, or run some of them. */
public enum TaskKind { COLLECT, RUN }
