package io.cdnodes.protocol.session;

import io.cdnodes.protocol.codec.Violation;
import io.cdnodes.protocol.codec.Wire;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.FrameType;
import io.cdnodes.protocol.frame.Hello;
import java.time.Duration;
import java.util.Objects;

/**
 * The coordinator's side of one connection: the handshake, what a worker may send in each state, and the
 * deadlines. Feed it every frame that arrives and call {@link #checkDeadlines(long, boolean)} now and then;
 * it answers with what to do. Times are {@code System.nanoTime()}-style monotonic nanoseconds supplied by
 * the caller, so tests need no clock.
 *
 * <p>Not thread-safe: owned by the connection's reader.
 */
public final class ServerSession {

    /** Where the conversation stands. */
    public enum State { AWAITING_HELLO, ESTABLISHED, CLOSED }

    /** What the caller should do with an incoming frame. */
    public sealed interface Verdict permits Accept, Deliver, Reject {
    }

    /** The handshake succeeded: answer WELCOME and tell the application a worker arrived. */
    public record Accept(Hello hello) implements Verdict {
    }

    /** A frame the application should handle. */
    public record Deliver(Frame frame) implements Verdict {
    }

    /** Send the violation as an ERROR frame (where possible) and close the connection. */
    public record Reject(Violation violation) implements Verdict {
    }

    private final WorkerToken token;
    private final SessionTimeouts timeouts;
    private final boolean requireSandbox;
    private final long openedAt;
    private long lastFrameAt;
    /** Since when the decoder has been seen holding part of a frame; valid while {@link #partial}. */
    private long partialSince;
    // a flag, not a sentinel value: nanoTime-style values may be negative
    private boolean partial;
    private State state = State.AWAITING_HELLO;

    /** A session that accepts workers whether or not they sandbox their runs. */
    public ServerSession(WorkerToken token, SessionTimeouts timeouts, long nowNanos) {
        this(token, timeouts, false, nowNanos);
    }

    /**
     * @param requireSandbox refuse, with {@link ErrorCode#SANDBOX_REQUIRED}, a worker whose HELLO says it does not
     *                       run tests in a sandbox
     */
    public ServerSession(WorkerToken token, SessionTimeouts timeouts, boolean requireSandbox, long nowNanos) {
        this.token = Objects.requireNonNull(token, "token");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        this.requireSandbox = requireSandbox;
        this.openedAt = nowNanos;
        this.lastFrameAt = nowNanos;
    }

    public State state() {
        return state;
    }

    /** Decides what to do with a frame from the worker. */
    public Verdict onFrame(Frame frame, long nowNanos) {
        if (state == State.CLOSED) {
            return new Reject(new Violation(ErrorCode.UNEXPECTED_FRAME, "session is closed"));
        }
        lastFrameAt = nowNanos;
        partial = false; // a frame completed: whatever is half-read now is a newer frame
        FrameType type = frame.type();
        if (!type.sentByWorker()) {
            return close(ErrorCode.UNEXPECTED_FRAME, type + " is not a frame a worker sends");
        }
        if (state == State.AWAITING_HELLO) {
            if (!(frame instanceof Hello hello)) {
                return close(ErrorCode.UNEXPECTED_FRAME, "the first frame must be HELLO, got " + type);
            }
            return handshake(hello);
        }
        if (type == FrameType.HELLO) {
            return close(ErrorCode.UNEXPECTED_FRAME, "HELLO after the handshake");
        }
        return new Deliver(frame);
    }

    /**
     * Checks the deadlines.
     *
     * @param midFrame whether the decoder holds part of a frame
     * @return a rejection when a deadline has passed
     */
    public java.util.Optional<Reject> checkDeadlines(long nowNanos, boolean midFrame) {
        if (state == State.CLOSED) {
            return java.util.Optional.empty();
        }
        if (state == State.AWAITING_HELLO && elapsed(openedAt, nowNanos, timeouts.handshake())) {
            return java.util.Optional.of(close(ErrorCode.HANDSHAKE_TIMEOUT,
                    "no HELLO within " + timeouts.handshake().toMillis() + " ms"));
        }
        if (midFrame) {
            if (!partial) {
                partial = true;
                partialSince = nowNanos;
            } else if (elapsed(partialSince, nowNanos, timeouts.stalledFrame())) {
                return java.util.Optional.of(close(ErrorCode.IDLE_TIMEOUT,
                        "a frame stayed half-sent for " + timeouts.stalledFrame().toMillis() + " ms"));
            }
        } else {
            partial = false;
        }
        if (state == State.ESTABLISHED && elapsed(lastFrameAt, nowNanos, timeouts.idle())) {
            return java.util.Optional.of(close(ErrorCode.IDLE_TIMEOUT,
                    "nothing received for " + timeouts.idle().toMillis() + " ms"));
        }
        return java.util.Optional.empty();
    }

    /** Marks the session closed; later frames are refused. */
    public void close() {
        state = State.CLOSED;
    }

    private Verdict handshake(Hello hello) {
        if (hello.protocolVersion() != Wire.VERSION) {
            return close(ErrorCode.UNSUPPORTED_VERSION, "protocol version " + hello.protocolVersion()
                    + " is not supported; the coordinator speaks " + Wire.VERSION);
        }
        if (!token.matches(hello.token())) {
            return close(ErrorCode.AUTHENTICATION_FAILED, "worker token refused");
        }
        if (hello.slots() < 1) {
            return close(ErrorCode.MALFORMED_FRAME, "a worker needs at least one slot");
        }
        if (hello.workerName().isBlank() || hello.workerName().length() > 200) {
            return close(ErrorCode.MALFORMED_FRAME, "worker name must be 1..200 characters");
        }
        if (requireSandbox && !hello.sandboxed()) {
            return close(ErrorCode.SANDBOX_REQUIRED, "this coordinator accepts only workers that run tests in a "
                    + "sandbox (bubblewrap); this worker does not");
        }
        state = State.ESTABLISHED;
        return new Accept(hello);
    }

    private Reject close(ErrorCode code, String message) {
        state = State.CLOSED;
        return new Reject(new Violation(code, message));
    }

    private static boolean elapsed(long since, long now, Duration limit) {
        return now - since >= limit.toNanos();
    }
}
