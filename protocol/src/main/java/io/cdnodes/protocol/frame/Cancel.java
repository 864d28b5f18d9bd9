package io.cdnodes.protocol.frame;

import java.util.Objects;

/**
 * Stop an assignment: the worker kills its pytest process and answers with {@link AssignmentDone}.
 *
 * @param assignmentId the assignment
 * @param reason       why, for the log
 */
public record Cancel(long assignmentId, String reason) implements Frame {

    public Cancel {
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public FrameType type() {
        return FrameType.CANCEL;
    }
}
