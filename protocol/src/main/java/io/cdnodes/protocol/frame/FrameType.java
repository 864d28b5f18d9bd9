package io.cdnodes.protocol.frame;

import java.util.Optional;

/** Every frame type with its one-byte wire code and the direction it travels. */
public enum FrameType {
    HELLO(0x01, Direction.TO_COORDINATOR),
    WELCOME(0x02, Direction.TO_WORKER),
    ERROR(0x03, Direction.BOTH),
    HEARTBEAT(0x04, Direction.BOTH),
    DRAIN(0x05, Direction.TO_COORDINATOR),
    PACKAGE_BEGIN(0x10, Direction.TO_WORKER),
    PACKAGE_CHUNK(0x11, Direction.TO_WORKER),
    PACKAGE_END(0x12, Direction.TO_WORKER),
    PACKAGE_ACK(0x13, Direction.TO_COORDINATOR),
    ASSIGN(0x20, Direction.TO_WORKER),
    TEST_RESULT(0x21, Direction.TO_COORDINATOR),
    COLLECTED(0x22, Direction.TO_COORDINATOR),
    ASSIGNMENT_DONE(0x23, Direction.TO_COORDINATOR),
    CANCEL(0x24, Direction.TO_WORKER),
    TEST_STARTED(0x25, Direction.TO_COORDINATOR);

    /** Which peer may send a frame type. */
    public enum Direction { TO_COORDINATOR, TO_WORKER, BOTH }

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final Direction direction;

    FrameType(int code, Direction direction) {
        this.code = code;
        this.direction = direction;
    }

    public int code() {
        return code;
    }

    public Direction direction() {
        return direction;
    }

    /** Whether a worker may send this type. */
    public boolean sentByWorker() {
        return direction != Direction.TO_WORKER;
    }

    /** Whether the coordinator may send this type. */
    public boolean sentByCoordinator() {
        return direction != Direction.TO_COORDINATOR;
    }

    public static Optional<FrameType> fromCode(int code) {
        return code < 0 || code > 255 ? Optional.empty() : Optional.ofNullable(BY_CODE[code]);
    }
}
