package io.cdnodes.protocol.frame;

import java.util.Optional;

/** The codes an {@link ErrorFrame} carries. Codes are stable across protocol versions. */
public enum ErrorCode {
    /** The bytes are not a well-formed frame (bad magic, unknown type, payload that does not parse). */
    MALFORMED_FRAME(1),
    /** The peer's protocol version is not one this side speaks. */
    UNSUPPORTED_VERSION(2),
    /** The worker token is wrong or missing. */
    AUTHENTICATION_FAILED(3),
    /** A frame's declared length is above the receiver's limit. */
    FRAME_TOO_LARGE(4),
    /** A well-formed frame that is not allowed in the session's current state or direction. */
    UNEXPECTED_FRAME(5),
    /** The handshake was not completed in time. */
    HANDSHAKE_TIMEOUT(6),
    /** Nothing arrived within the idle timeout. */
    IDLE_TIMEOUT(7),
    /** A package transfer did not match its announced size or digest. */
    PACKAGE_CORRUPT(8),
    /** The coordinator holds as many connections as it accepts. */
    TOO_MANY_CONNECTIONS(9),
    /** The sender is shutting down. */
    SHUTTING_DOWN(10),
    /** A package is larger than the receiver accepts. */
    PACKAGE_TOO_LARGE(11),
    /** The sender failed in a way that is not the peer's fault. */
    INTERNAL(12),
    /** Another connected worker has the name this HELLO gives; the name is free again once that one is gone. */
    NAME_IN_USE(13),
    /** The coordinator accepts only workers that run tests in a sandbox, and this one said it does not. */
    SANDBOX_REQUIRED(14);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<ErrorCode> fromCode(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
