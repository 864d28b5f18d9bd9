package io.cdnodes.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Heartbeat;
import io.cdnodes.protocol.frame.SampleFrames;
import io.cdnodes.protocol.frame.Welcome;
import io.cdnodes.protocol.session.ClientSession.Deliver;
import io.cdnodes.protocol.session.ClientSession.Refused;
import io.cdnodes.protocol.session.ClientSession.Reject;
import io.cdnodes.protocol.session.ClientSession.State;
import io.cdnodes.protocol.session.ClientSession.Verdict;
import io.cdnodes.protocol.session.ClientSession.Welcomed;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ClientSessionTest {

    private static final Welcome WELCOME = new Welcome("w-1", 1000, 5000, 8_388_608, 1_048_576);

    private final ClientSession session = new ClientSession();

    @Test
    void welcomeEstablishesTheSession() {
        assertThat(session.state()).isEqualTo(State.AWAITING_WELCOME);
        assertThat(session.welcome()).isEmpty();

        assertThat(session.onFrame(WELCOME)).isEqualTo(new Welcomed(WELCOME));
        assertThat(session.state()).isEqualTo(State.ESTABLISHED);
        assertThat(session.welcome()).contains(WELCOME);
    }

    @Test
    void errorInsteadOfWelcomeIsARefusal() {
        ErrorFrame error = new ErrorFrame(ErrorCode.AUTHENTICATION_FAILED, "worker token refused");

        assertThat(session.onFrame(error)).isEqualTo(new Refused(error));
        assertThat(session.state()).isEqualTo(State.CLOSED);
        assertThat(session.welcome()).isEmpty();
    }

    static List<Frame> notWelcomeNorError() {
        return SampleFrames.all().stream().filter(f -> !(f instanceof Welcome) && !(f instanceof ErrorFrame)).toList();
    }

    @ParameterizedTest
    @MethodSource("notWelcomeNorError")
    void anythingElseBeforeWelcomeIsAViolation(Frame first) {
        assertReject(session.onFrame(first));
        assertThat(session.state()).isEqualTo(State.CLOSED);
    }

    @ParameterizedTest
    @MethodSource("notWelcomeNorError")
    void afterWelcomeCoordinatorFramesAreDeliveredAndWorkerFramesRefused(Frame frame) {
        session.onFrame(WELCOME);

        Verdict verdict = session.onFrame(frame);

        if (frame.type().sentByCoordinator()) {
            assertThat(verdict).isEqualTo(new Deliver(frame));
            assertThat(session.state()).isEqualTo(State.ESTABLISHED);
        } else {
            assertThat(assertReject(verdict).violation().message()).contains(frame.type().name());
        }
    }

    @Test
    void welcomeTwiceIsAViolation() {
        session.onFrame(WELCOME);

        assertReject(session.onFrame(WELCOME));
        assertThat(session.welcome()).as("the first WELCOME stays").contains(WELCOME);
    }

    @Test
    void errorAfterWelcomeClosesTheSession() {
        session.onFrame(WELCOME);
        ErrorFrame error = new ErrorFrame(ErrorCode.SHUTTING_DOWN, "bye");

        assertThat(session.onFrame(error)).isEqualTo(new Refused(error));
        assertThat(session.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void aClosedSessionRefusesEverything() {
        session.onFrame(new ErrorFrame(ErrorCode.INTERNAL, ""));

        assertReject(session.onFrame(WELCOME));
        assertReject(session.onFrame(new Heartbeat(1)));
        assertReject(session.onFrame(new ErrorFrame(ErrorCode.INTERNAL, "")));
    }

    private static Reject assertReject(Verdict verdict) {
        assertThat(verdict).isInstanceOf(Reject.class);
        Reject reject = (Reject) verdict;
        assertThat(reject.violation().code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME);
        return reject;
    }
}
