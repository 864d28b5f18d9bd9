package io.cdnodes.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.protocol.codec.Wire;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Heartbeat;
import io.cdnodes.protocol.frame.Hello;
import io.cdnodes.protocol.frame.SampleFrames;
import io.cdnodes.protocol.frame.TestResult;
import io.cdnodes.protocol.frame.Outcome;
import io.cdnodes.protocol.frame.Welcome;
import io.cdnodes.protocol.session.ServerSession.Accept;
import io.cdnodes.protocol.session.ServerSession.Deliver;
import io.cdnodes.protocol.session.ServerSession.Reject;
import io.cdnodes.protocol.session.ServerSession.State;
import io.cdnodes.protocol.session.ServerSession.Verdict;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ServerSessionTest {

    private static final long S = 1_000_000_000L;
    /** Monotonic times may be anywhere, even near overflow; the session only subtracts them. */
    private static final long T0 = Long.MAX_VALUE - 3 * S;
    private static final String SECRET = "s3cret-token";

    private final ServerSession session = new ServerSession(WorkerToken.of(SECRET), SessionTimeouts.defaults(), T0);

    static Hello hello(String token) {
        return new Hello(Wire.VERSION, "w1", 2, "3.12", "8.0", token, List.of());
    }

    @Test
    void helloWithTheRightTokenIsAccepted() {
        Hello hello = hello(SECRET);

        assertThat(session.onFrame(hello, T0 + 1)).isEqualTo(new Accept(hello));
        assertThat(session.state()).isEqualTo(State.ESTABLISHED);
    }

    @Test
    void wrongOrMissingTokenIsRefused() {
        for (String wrong : List.of("s3cret-tokeN", "s3cret-token ", "", "s3cret")) {
            ServerSession s = new ServerSession(WorkerToken.of(SECRET), SessionTimeouts.defaults(), T0);
            Reject reject = assertReject(s.onFrame(hello(wrong), T0), ErrorCode.AUTHENTICATION_FAILED);
            assertThat(reject.violation().message()).doesNotContain(SECRET).doesNotContain(wrong.isEmpty() ? SECRET : wrong);
            assertThat(s.state()).isEqualTo(State.CLOSED);
        }
    }

    @Test
    void openTokenAcceptsAnyToken() {
        for (String any : List.of("", "whatever", SECRET)) {
            ServerSession open = new ServerSession(WorkerToken.none(), SessionTimeouts.defaults(), T0);
            assertThat(open.onFrame(hello(any), T0)).isInstanceOf(Accept.class);
        }
    }

    @Test
    void otherProtocolVersionIsRefusedBeforeTheToken() {
        for (int version : List.of(1, Wire.VERSION + 1)) {
            ServerSession s = new ServerSession(WorkerToken.of(SECRET), SessionTimeouts.defaults(), T0);
            Hello other = new Hello(version, "w1", 2, "3.12", "8.0", "wrong", List.of(), true);
            assertReject(s.onFrame(other, T0), ErrorCode.UNSUPPORTED_VERSION);
        }
    }

    @Test
    void helloMustNameAWorkerWithAtLeastOneSlot() {
        List<Hello> bad = List.of(new Hello(Wire.VERSION, "w1", 0, "", "", SECRET, List.of()),
                new Hello(Wire.VERSION, " ", 1, "", "", SECRET, List.of()),
                new Hello(Wire.VERSION, "w".repeat(201), 1, "", "", SECRET, List.of()));
        for (Hello hello : bad) {
            ServerSession s = new ServerSession(WorkerToken.of(SECRET), SessionTimeouts.defaults(), T0);
            assertReject(s.onFrame(hello, T0), ErrorCode.MALFORMED_FRAME);
        }
        ServerSession s = new ServerSession(WorkerToken.of(SECRET), SessionTimeouts.defaults(), T0);
        assertThat(s.onFrame(new Hello(Wire.VERSION, "w".repeat(200), 1, "", "", SECRET, List.of()), T0)).isInstanceOf(Accept.class);
    }

    @Test
    void aCoordinatorRequiringASandboxRefusesAWorkerWithoutOneAfterItsToken() {
        ServerSession strict = new ServerSession(WorkerToken.of(SECRET), SessionTimeouts.defaults(), true, T0);
        Reject reject = assertReject(strict.onFrame(hello(SECRET), T0), ErrorCode.SANDBOX_REQUIRED);
        assertThat(reject.violation().message()).contains("sandbox");
        assertThat(strict.state()).isEqualTo(State.CLOSED);

        ServerSession wrongToken = new ServerSession(WorkerToken.of(SECRET), SessionTimeouts.defaults(), true, T0);
        assertReject(wrongToken.onFrame(hello("wrong"), T0), ErrorCode.AUTHENTICATION_FAILED);

        Hello sandboxed = new Hello(Wire.VERSION, "w1", 2, "3.12", "8.0", SECRET, List.of(), true);
        ServerSession accepting = new ServerSession(WorkerToken.of(SECRET), SessionTimeouts.defaults(), true, T0);
        assertThat(accepting.onFrame(sandboxed, T0)).isEqualTo(new Accept(sandboxed));
        assertThat(session.onFrame(hello(SECRET), T0)).as("not required: either is accepted").isInstanceOf(Accept.class);
    }

    static List<Frame> notHello() {
        return SampleFrames.all().stream().filter(f -> !(f instanceof Hello)).toList();
    }

    @ParameterizedTest
    @MethodSource("notHello")
    void firstFrameMustBeHello(Frame first) {
        assertReject(session.onFrame(first, T0), ErrorCode.UNEXPECTED_FRAME);
        assertThat(session.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void helloTwiceIsRefused() {
        session.onFrame(hello(SECRET), T0);

        assertReject(session.onFrame(hello(SECRET), T0 + 1), ErrorCode.UNEXPECTED_FRAME);
    }

    @ParameterizedTest
    @MethodSource("notHello")
    void afterTheHandshakeWorkerFramesAreDeliveredAndCoordinatorFramesRefused(Frame frame) {
        session.onFrame(hello(SECRET), T0);

        Verdict verdict = session.onFrame(frame, T0 + 1);

        if (frame.type().sentByWorker()) {
            assertThat(verdict).isEqualTo(new Deliver(frame));
            assertThat(session.state()).isEqualTo(State.ESTABLISHED);
        } else {
            assertThat(assertReject(verdict, ErrorCode.UNEXPECTED_FRAME).violation().message())
                    .contains(frame.type().name());
        }
    }

    @Test
    void handshakeTimeout() {
        assertThat(session.checkDeadlines(T0 + 10 * S - 1, false)).isEmpty();
        Reject reject = session.checkDeadlines(T0 + 10 * S, false).orElseThrow();

        assertThat(reject.violation().code()).isEqualTo(ErrorCode.HANDSHAKE_TIMEOUT);
        assertThat(session.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void noHandshakeTimeoutOnceEstablished() {
        session.onFrame(hello(SECRET), T0 + 9 * S);

        assertThat(session.checkDeadlines(T0 + 11 * S, false)).isEmpty();
    }

    @Test
    void idleTimeoutCountsFromTheLastFrame() {
        session.onFrame(hello(SECRET), T0);
        session.onFrame(new Heartbeat(1), T0 + 4 * S);

        assertThat(session.checkDeadlines(T0 + 9 * S - 1, false)).isEmpty();
        Reject reject = session.checkDeadlines(T0 + 9 * S, false).orElseThrow();
        assertThat(reject.violation().code()).isEqualTo(ErrorCode.IDLE_TIMEOUT);
        assertThat(session.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void aStalledHalfFrameIsRefused() {
        ServerSession s = new ServerSession(WorkerToken.of(SECRET), patientIdle(), T0);
        s.onFrame(hello(SECRET), T0);

        assertThat(s.checkDeadlines(T0 + S, true)).isEmpty();
        assertThat(s.checkDeadlines(T0 + 30 * S, true)).isEmpty();
        Reject reject = s.checkDeadlines(T0 + 31 * S, true).orElseThrow();

        assertThat(reject.violation().code()).isEqualTo(ErrorCode.IDLE_TIMEOUT);
        assertThat(reject.violation().message()).contains("half-sent");
    }

    @Test
    void stallClockRestartsWhenTheDecoderIsBetweenFrames() {
        ServerSession s = new ServerSession(WorkerToken.of(SECRET), patientIdle(), T0);
        s.onFrame(hello(SECRET), T0);

        s.checkDeadlines(T0 + S, true);
        s.checkDeadlines(T0 + 20 * S, false);

        assertThat(s.checkDeadlines(T0 + 40 * S, true)).isEmpty();
        assertThat(s.checkDeadlines(T0 + 69 * S, true)).isEmpty();
        assertThat(s.checkDeadlines(T0 + 70 * S, true)).isPresent();
    }

    @Test
    void aBusyPeerWhoseDecoderIsMidFrameAtEveryCheckIsNotStalling() {
        // frames keep completing, but each check happens to land while the next one is half-read
        ServerSession s = new ServerSession(WorkerToken.of(SECRET), patientIdle(), T0);
        s.onFrame(hello(SECRET), T0);
        for (int second = 1; second <= 100; second++) {
            s.onFrame(new TestResult(1, 0, "t" + second, Outcome.PASSED, 0.1, ""), T0 + second * S - S / 2);
            assertThat(s.checkDeadlines(T0 + second * S, true)).as("second %d", second).isEmpty();
        }
    }

    @Test
    void aClosedSessionRefusesEverythingAndKeepsNoDeadlines() {
        session.onFrame(hello(SECRET), T0);
        session.close();

        assertThat(session.state()).isEqualTo(State.CLOSED);
        assertReject(session.onFrame(new Heartbeat(1), T0 + 1), ErrorCode.UNEXPECTED_FRAME);
        assertThat(session.checkDeadlines(T0 + 3600 * S, true)).isEmpty();
    }

    @Test
    void afterARejectNothingMoreIsDelivered() {
        session.onFrame(new Welcome("x", 1, 1, 1, 1), T0);

        assertReject(session.onFrame(hello(SECRET), T0 + 1), ErrorCode.UNEXPECTED_FRAME);
        assertReject(session.onFrame(new ErrorFrame(ErrorCode.INTERNAL, ""), T0 + 2), ErrorCode.UNEXPECTED_FRAME);
    }

    private static SessionTimeouts patientIdle() {
        return new SessionTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(10),
                Duration.ofSeconds(30));
    }

    private static Reject assertReject(Verdict verdict, ErrorCode code) {
        assertThat(verdict).isInstanceOf(Reject.class);
        Reject reject = (Reject) verdict;
        assertThat(reject.violation().code()).as(reject.violation().message()).isEqualTo(code);
        return reject;
    }
}
