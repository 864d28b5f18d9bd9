package io.cdnodes.protocol.frame;

import java.util.Objects;

/**
 * An assignment has finished; every result for it was sent before this frame.
 *
 * @param assignmentId the assignment
 * @param attempt      its attempt
 * @param exitCode     pytest's exit code, or a negative value when the process did not exit by itself
 *                     (-1 killed at its time limit, -2 could not be started, -3 cancelled, -4 the
 *                     package is not on the worker, -5 stopped early because the worker is draining)
 * @param detail       pytest's own text for an internal or usage error, bounded; empty otherwise
 */
public record AssignmentDone(long assignmentId, int attempt, int exitCode, String detail) implements Frame {

    public static final int EXIT_TIMEOUT = -1;
    public static final int EXIT_NOT_STARTED = -2;
    public static final int EXIT_CANCELLED = -3;
    public static final int EXIT_PACKAGE_MISSING = -4;
    public static final int EXIT_DRAINED = -5;

    public AssignmentDone {
        Checks.u32(attempt, "attempt");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public FrameType type() {
        return FrameType.ASSIGNMENT_DONE;
    }
}
