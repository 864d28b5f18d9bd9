package io.cdnodes.coordinator.evaluation;

/** A task waits, runs on one worker, or is done. */
public enum TaskState { PENDING, RUNNING, DONE }
