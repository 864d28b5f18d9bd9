package io.cdnodes.connector.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cdnodes.connector.api.WorkerEvent;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Heartbeat;
import io.cdnodes.protocol.frame.Hello;
import io.cdnodes.protocol.frame.Welcome;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Who gets in and on what terms: the HELLO's size, the slots used, unique names, connections per address, the
 * workers' cap and the budget of connections still in their handshake.
 */
class AdmissionConformanceTest {

    private ListenerFixture fx;

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    private TestClient hello(String name) throws IOException {
        TestClient c = fx.connect();
        c.send(TestClient.hello(name, ListenerFixture.TOKEN, List.of()));
        return c;
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void aFirstFrameAboveTheHelloLimitIsRefusedBeforeItsPayloadArrives(Channel t) throws Exception {
        fx = new ListenerFixture(t, ListenerFixture.Knobs.defaults());
        TestClient c = fx.connect();

        c.sendRaw(new byte[] {0x43, 0x44, io.cdnodes.protocol.codec.Wire.VERSION, 0x01, 0x00, 0x00, 0x20, 0x01}); // HELLO of 8193 bytes, none sent

        assertThat(c.readUntilClosed()).containsExactly(new ErrorFrame(ErrorCode.FRAME_TOO_LARGE,
                "first frame's payload of 8193 bytes is above the limit of 8192 for a session's first frame"));
        fx.awaitNoConnections();
        assertThat(fx.events).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void aWorkerAnnouncingMoreSlotsThanTheCapIsGivenWorkForTheCap(Channel t) throws Exception {
        fx = new ListenerFixture(t, ListenerFixture.Knobs.defaults().maxSlots(4));
        TestClient many = fx.connect();
        many.send(new Hello(io.cdnodes.protocol.codec.Wire.VERSION, "greedy", 65535, "3.11.7", "9.0.3", ListenerFixture.TOKEN,
                List.of()));
        TestClient few = hello("modest");

        assertThat(many.next()).isInstanceOf(Welcome.class);
        assertThat(few.next()).isInstanceOf(Welcome.class);
        fx.connectedId(1);
        assertThat(fx.events).filteredOn(WorkerEvent.Connected.class::isInstance)
                .map(e -> ((WorkerEvent.Connected) e).name() + "=" + ((WorkerEvent.Connected) e).slots())
                .containsExactlyInAnyOrder("greedy=4", "modest=3");
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void aSecondWorkerWithAConnectedNameIsRefusedUntilTheFirstIsGone(Channel t) throws Exception {
        fx = new ListenerFixture(t, ListenerFixture.Knobs.defaults());
        TestClient first = hello("w1");
        assertThat(first.next()).isInstanceOf(Welcome.class);
        String firstId = fx.connectedId(0);

        TestClient twin = hello("w1");
        assertThat(twin.readUntilClosed()).containsExactly(new ErrorFrame(ErrorCode.NAME_IN_USE,
                "a worker named w1 is connected already (conn=" + firstId + "); try again once it is gone"));
        TestClient other = hello("w2");
        assertThat(other.next()).isInstanceOf(Welcome.class);

        first.close();
        fx.awaitDisconnected(firstId);
        TestClient again = hello("w1");
        assertThat(again.nextNonHeartbeat()).isInstanceOf(Welcome.class);
        fx.connectedId(2); // WELCOME goes out before Connected is delivered
        assertThat(fx.events).filteredOn(WorkerEvent.Connected.class::isInstance).hasSize(3);
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void tcpConnectionsFromOneAddressAreCappedWhileLocalWorkersOnTheSocketAreNot(Channel t) throws Exception {
        fx = new ListenerFixture(t, ListenerFixture.Knobs.defaults().maxPerAddress(2));
        for (String name : List.of("a", "b")) {
            assertThat(hello(name).next()).isInstanceOf(Welcome.class);
        }

        switch (t) {
            case TCP -> assertThat(fx.connect().readUntilClosed()).containsExactly(new ErrorFrame(
                    ErrorCode.TOO_MANY_CONNECTIONS, "the coordinator holds 2 connections from 127.0.0.1 already "
                    + "(CDNODES_MAX_CONNECTIONS_PER_ADDRESS)"));
            // refused before its handshake: closed, since a TLS client could not read an ERROR in clear
            case TLS -> assertThatThrownBy(fx::connect).isInstanceOf(IOException.class);
            case UNIX -> assertThat(hello("c").next()).isInstanceOf(Welcome.class);
        }
        fx.connectedId(t == Channel.UNIX ? 2 : 1); // WELCOME goes out before Connected is delivered
        assertThat(fx.events).filteredOn(WorkerEvent.Connected.class::isInstance).hasSize(t == Channel.UNIX ? 3 : 2);
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void aRefusedHelloLeavesItsNameFree(Channel t) throws Exception {
        fx = new ListenerFixture(t, ListenerFixture.Knobs.defaults());
        TestClient wrong = fx.connect();
        wrong.send(TestClient.hello("w1", "not-the-token", List.of()));
        List<Frame> refused = wrong.readUntilClosed();

        assertThat(refused).containsExactly(new ErrorFrame(ErrorCode.AUTHENTICATION_FAILED, "worker token refused"));
        assertThat(hello("w1").nextNonHeartbeat()).isInstanceOf(Welcome.class);
        assertThat(fx.events).noneMatch(e -> e instanceof WorkerEvent.Received r && r.frame() instanceof Heartbeat);
    }

    @ParameterizedTest
    @EnumSource(value = Channel.class, names = {"TCP", "TLS"})
    void connectionsThatDoNotFinishTheirHandshakeHaveABudgetOfTheirOwn(Channel t) throws Exception {
        fx = new ListenerFixture(t, patient().maxConnections(1).maxPending(2));
        fx.connectRaw(); // silent: no TLS ClientHello, no HELLO
        fx.connectRaw();
        awaitPending(2);

        switch (t) {
            case TCP -> assertThat(fx.connect().readUntilClosed()).containsExactly(new ErrorFrame(
                    ErrorCode.TOO_MANY_CONNECTIONS, "the coordinator holds 2 connections that have not finished their "
                    + "handshake already (CDNODES_MAX_PENDING_CONNECTIONS)"));
            case TLS -> assertThatThrownBy(fx::connect).isInstanceOf(IOException.class);
            default -> throw new AssertionError(t);
        }
        assertThat(fx.events).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Channel.class, names = {"TCP", "TLS"})
    void aWorkerGetsInWhileOtherPeersSitInTheirHandshake(Channel t) throws Exception {
        fx = new ListenerFixture(t, patient().maxConnections(1).maxPending(2));
        fx.connectRaw(); // one more connection than the workers' cap, never authenticating
        awaitPending(1);

        assertThat(hello("w1").next()).isInstanceOf(Welcome.class);
        fx.connectedId(0);
        switch (t) {
            case TCP -> assertThat(fx.connect().readUntilClosed()).containsExactly(new ErrorFrame(
                    ErrorCode.TOO_MANY_CONNECTIONS, "the coordinator has 1 workers connected already "
                    + "(CDNODES_MAX_CONNECTIONS)"));
            case TLS -> assertThatThrownBy(fx::connect).isInstanceOf(IOException.class);
            default -> throw new AssertionError(t);
        }
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void workersFinishingTheirHandshakesTogetherDoNotPassTheWorkersCap(Channel t) throws Exception {
        fx = new ListenerFixture(t, ListenerFixture.Knobs.defaults().maxConnections(1));
        TestClient first = fx.connect(); // both admitted while no worker is connected
        TestClient second = fx.connect();
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.registry.size() == 2);

        first.send(TestClient.hello("w1", ListenerFixture.TOKEN, List.of()));
        assertThat(first.next()).isInstanceOf(Welcome.class);
        fx.connectedId(0);
        second.send(TestClient.hello("w2", ListenerFixture.TOKEN, List.of()));
        assertThat(second.readUntilClosed()).containsExactly(new ErrorFrame(ErrorCode.TOO_MANY_CONNECTIONS,
                "the coordinator has 1 workers connected already (CDNODES_MAX_CONNECTIONS)"));
        assertThat(fx.events).filteredOn(WorkerEvent.Connected.class::isInstance).hasSize(1);
    }

    /** Handshakes may take long: the silent peers of a test stay in theirs until it ends. */
    private static ListenerFixture.Knobs patient() {
        return ListenerFixture.Knobs.defaults().timeouts(60_000, 1000, 5000, 30_000);
    }

    private void awaitPending(int n) {
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.registry.load(null).pending() == n);
    }
}
