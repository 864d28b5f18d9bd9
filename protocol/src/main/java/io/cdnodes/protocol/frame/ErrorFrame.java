package io.cdnodes.protocol.frame;

import java.util.Objects;

/**
 * An error: the sender closes the connection after it unless the code is about one package transfer.
 *
 * @param code    what went wrong
 * @param message a human-readable explanation, never containing secrets
 */
public record ErrorFrame(ErrorCode code, String message) implements Frame {

    public ErrorFrame {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public FrameType type() {
        return FrameType.ERROR;
    }
}
