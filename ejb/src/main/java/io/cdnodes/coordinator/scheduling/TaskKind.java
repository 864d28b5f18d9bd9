package io.cdnodes.coordinator.scheduling;

/** Collect a project's tests, or run some of them. */
public enum TaskKind { COLLECT, RUN }
