package io.cdnodes.protocol.codec;

import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import java.util.Objects;

/**
 * Why a byte stream or a frame sequence is not acceptable. A violation ends the connection: the
 * receiver answers with {@link #toErrorFrame()} where it can, then closes.
 *
 * @param code    the error code to send
 * @param message a human-readable explanation
 */
public record Violation(ErrorCode code, String message) {

    public Violation {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public ErrorFrame toErrorFrame() {
        return new ErrorFrame(code, message);
    }
}
