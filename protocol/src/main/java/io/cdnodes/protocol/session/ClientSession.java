package io.cdnodes.protocol.session;

import io.cdnodes.protocol.codec.Violation;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.FrameType;
import io.cdnodes.protocol.frame.Welcome;
import java.util.Optional;

/**
 * The worker's side of one connection: after sending HELLO it expects WELCOME or ERROR, then only frames a
 * coordinator sends. Not thread-safe: owned by the connection's reader.
 */
public final class ClientSession {

    /** Where the conversation stands. */
    public enum State { AWAITING_WELCOME, ESTABLISHED, CLOSED }

    /** What the worker should do with an incoming frame. */
    public sealed interface Verdict permits Welcomed, Deliver, Refused, Reject {
    }

    /** The coordinator accepted the worker. */
    public record Welcomed(Welcome welcome) implements Verdict {
    }

    /** A frame for the agent to handle. */
    public record Deliver(Frame frame) implements Verdict {
    }

    /** The coordinator sent an ERROR and will close; the code says whether retrying can help. */
    public record Refused(ErrorFrame error) implements Verdict {
    }

    /** The coordinator broke the protocol: close the connection. */
    public record Reject(Violation violation) implements Verdict {
    }

    private State state = State.AWAITING_WELCOME;
    private Welcome welcome;

    public State state() {
        return state;
    }

    /** The WELCOME of this session, once established. */
    public Optional<Welcome> welcome() {
        return Optional.ofNullable(welcome);
    }

    public Verdict onFrame(Frame frame) {
        if (state == State.CLOSED) {
            return new Reject(new Violation(ErrorCode.UNEXPECTED_FRAME, "session is closed"));
        }
        if (frame instanceof ErrorFrame error) {
            state = State.CLOSED;
            return new Refused(error);
        }
        if (!frame.type().sentByCoordinator()) {
            return reject(frame.type() + " is not a frame a coordinator sends");
        }
        if (state == State.AWAITING_WELCOME) {
            if (frame instanceof Welcome w) {
                state = State.ESTABLISHED;
                welcome = w;
                return new Welcomed(w);
            }
            return reject("expected WELCOME, got " + frame.type());
        }
        if (frame.type() == FrameType.WELCOME) {
            return reject("WELCOME after the handshake");
        }
        return new Deliver(frame);
    }

    private Reject reject(String message) {
        state = State.CLOSED;
        return new Reject(new Violation(ErrorCode.UNEXPECTED_FRAME, message));
    }
}
