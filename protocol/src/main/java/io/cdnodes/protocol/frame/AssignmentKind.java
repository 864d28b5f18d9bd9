package io.cdnodes.protocol.frame;

import java.util.Optional;

/** What an {@link Assign} asks of a worker. */
public enum AssignmentKind {
    /** Collect the project's tests ({@code pytest --collect-only}) and report their node ids. */
    COLLECT(0),
    /** Run the listed node ids and report one result per node. */
    RUN(1);

    private final int code;

    AssignmentKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<AssignmentKind> fromCode(int code) {
        for (AssignmentKind k : values()) {
            if (k.code == code) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
