package io.cdnodes.coordinator.scheduling;

import java.time.Instant;

/**
 * A result the scheduler accepted on arrival ({@link Scheduler#resultArrived}), waiting to be recorded with others
 * in one event ({@link Scheduler#results}); it carries the worker as it was when the result came, and when the test
 * started: when its TEST_STARTED came, or, without one, its arrival less its duration.
 */
public record Arrived(String connectionId, String workerName, String workerAddress, TestReport report, Instant at,
                      Instant startedAt) {
}
