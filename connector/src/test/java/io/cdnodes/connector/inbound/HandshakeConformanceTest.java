package io.cdnodes.connector.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cdnodes.connector.api.ConnectionInfo;
import io.cdnodes.connector.api.Transport;
import io.cdnodes.connector.api.WorkerEvent;
import io.cdnodes.protocol.frame.Cancel;
import io.cdnodes.protocol.frame.Drain;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Heartbeat;
import io.cdnodes.protocol.frame.Welcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What every listener must do before and while a worker authenticates, on both transports. */
class HandshakeConformanceTest {

    private static final String PKG = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    private ListenerFixture fx;

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    private ListenerFixture start(Channel t, ListenerFixture.Knobs knobs) throws Exception {
        fx = new ListenerFixture(t, knobs);
        return fx;
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void aGoodHelloIsWelcomedAndDeliveredWithoutItsToken(Channel t) throws Exception {
        start(t, ListenerFixture.Knobs.defaults());
        TestClient c = fx.connect();
        c.send(TestClient.hello("w1", ListenerFixture.TOKEN, List.of(PKG)));

        Frame answer = c.next();
        String id = fx.connectedId(0);
        assertThat(answer).isEqualTo(new Welcome(id, 1000, 5000, 8 * 1024 * 1024, 64 * 1024));
        WorkerEvent.Connected connected = (WorkerEvent.Connected) fx.events.get(0);
        String remote = t.transport() == Transport.TCP ? "127.0.0.1:" + c.socket().getLocalPort()
                : "unix:pid=" + ProcessHandle.current().pid();
        assertThat(connected).isEqualTo(new WorkerEvent.Connected(id, t.transport(), fx.listener.localAddress(), remote, "w1", 3,
                "3.11.7", "9.0.3", List.of(PKG)));
        if (t.transport() == Transport.TCP) {
            assertThat(fx.listener.localAddress()).isEqualTo("127.0.0.1:" + c.socket().getPort());
        } else {
            assertThat(fx.listener.localAddress()).isEqualTo("unix:" + fx.settings.socketPath());
        }
        assertThat(connected.toString()).doesNotContain(ListenerFixture.TOKEN);
        assertThat(fx.registry.establishedInfo())
                .containsExactly(new ConnectionInfo(id, t.transport(), fx.listener.localAddress(), remote, "w1"));
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void requiringASandboxRefusesAWorkerWithoutOneAndWelcomesOneWith(Channel t) throws Exception {
        start(t, ListenerFixture.Knobs.defaults().requiringSandbox());
        TestClient unsandboxed = fx.connect();
        unsandboxed.send(TestClient.hello("w1", ListenerFixture.TOKEN, List.of()));

        assertThat(unsandboxed.readUntilClosed()).singleElement().isInstanceOfSatisfying(ErrorFrame.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.SANDBOX_REQUIRED));
        fx.awaitNoConnections();
        assertThat(fx.events).isEmpty();

        TestClient sandboxed = fx.connect();
        sandboxed.send(new io.cdnodes.protocol.frame.Hello(io.cdnodes.protocol.codec.Wire.VERSION, "w2", 1, "3.11.7",
                "9.0.3", ListenerFixture.TOKEN, List.of(), true));
        assertThat(sandboxed.next()).isInstanceOf(Welcome.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.events.size() == 1);
        assertThat(((WorkerEvent.Connected) fx.events.get(0)).sandboxed()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void aWrongTokenIsRefusedAndClosedWithoutAnyEvent(Channel t) throws Exception {
        start(t, ListenerFixture.Knobs.defaults());
        TestClient c = fx.connect();
        c.send(TestClient.hello("w1", "not-the-token", List.of()));

        List<Frame> frames = c.readUntilClosed();

        assertThat(frames).containsExactly(new ErrorFrame(ErrorCode.AUTHENTICATION_FAILED, "worker token refused"));
        fx.awaitNoConnections();
        assertThat(fx.events).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void garbageClosesThatConnectionOnlyWhileAnotherKeepsWorking(Channel t) throws Exception {
        start(t, ListenerFixture.Knobs.defaults());
        TestClient good = fx.connect();
        good.send(TestClient.hello("good", ListenerFixture.TOKEN, List.of()));
        assertThat(good.next()).isInstanceOf(Welcome.class);
        String goodId = fx.connectedId(0);

        TestClient bad = fx.connect();
        bad.sendRaw("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        List<Frame> answer = bad.readUntilClosed();

        assertThat(answer).singleElement().isInstanceOfSatisfying(ErrorFrame.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME));
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.registry.size() == 1);
        good.send(new Drain("still here"));
        assertThat(fx.connection(goodId).send(new Cancel(7, "after the garbage"))).isTrue();
        assertThat(good.nextNonHeartbeat()).isEqualTo(new Cancel(7, "after the garbage"));
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.events.contains(
                new WorkerEvent.Received(goodId, new Drain("still here"))));
        assertThat(fx.events).allMatch(e -> e.connectionId().equals(goodId));
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void aHugeDeclaredLengthIsRefusedBeforeItsPayloadArrives(Channel t) throws Exception {
        start(t, ListenerFixture.Knobs.defaults());
        TestClient c = fx.connect();
        c.send(TestClient.hello("w1", ListenerFixture.TOKEN, List.of()));
        assertThat(c.next()).isInstanceOf(Welcome.class);
        String id = fx.connectedId(0);

        c.sendRaw(new byte[] {0x43, 0x44, io.cdnodes.protocol.codec.Wire.VERSION, 0x21, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0});

        assertThat(c.readUntilClosed()).filteredOn(f -> !(f instanceof Heartbeat)).singleElement()
                .isEqualTo(new ErrorFrame(ErrorCode.FRAME_TOO_LARGE,
                        "frame payload of 4294967280 bytes is above the limit of 8388608"));
        assertThat(fx.awaitDisconnected(id).reason()).startsWith("protocol violation FRAME_TOO_LARGE");
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void aSilentNewConnectionGetsHandshakeTimeout(Channel t) throws Exception {
        start(t, ListenerFixture.Knobs.defaults().timeouts(300, 1000, 5000, 30_000));
        TestClient c = fx.connect();

        assertThat(c.readUntilClosed())
                .containsExactly(new ErrorFrame(ErrorCode.HANDSHAKE_TIMEOUT, "no HELLO within 300 ms"));
        fx.awaitNoConnections();
        assertThat(fx.events).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void aFrameLeftHalfSentPastTheStalledFrameTimeoutClosesTheConnection(Channel t) throws Exception {
        start(t, ListenerFixture.Knobs.defaults().timeouts(5000, 1000, 5000, 400));
        TestClient c = fx.connect();
        c.send(TestClient.hello("w1", ListenerFixture.TOKEN, List.of()));
        assertThat(c.next()).isInstanceOf(Welcome.class);
        String id = fx.connectedId(0);

        c.sendRaw(new byte[] {0x43, 0x44, io.cdnodes.protocol.codec.Wire.VERSION, 0x05, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00}); // DRAIN, 2 of 16 bytes

        assertThat(c.readUntilClosed()).filteredOn(f -> !(f instanceof Heartbeat))
                .containsExactly(new ErrorFrame(ErrorCode.IDLE_TIMEOUT, "a frame stayed half-sent for 400 ms"));
        assertThat(fx.awaitDisconnected(id).reason())
                .isEqualTo("protocol violation IDLE_TIMEOUT: a frame stayed half-sent for 400 ms");
        assertThat(fx.eventsOf(id)).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void aWorkerThatSendsNothingAfterTheHandshakeGetsIdleTimeout(Channel t) throws Exception {
        start(t, ListenerFixture.Knobs.defaults().timeouts(5000, 100, 400, 30_000));
        TestClient c = fx.connect();
        c.send(TestClient.hello("w1", ListenerFixture.TOKEN, List.of()));
        String id = fx.connectedId(0);

        assertThat(c.readUntilClosed()).filteredOn(f -> !(f instanceof Heartbeat)).containsExactly(
                new Welcome(id, 100, 400, 8 * 1024 * 1024, 64 * 1024),
                new ErrorFrame(ErrorCode.IDLE_TIMEOUT, "nothing received for 400 ms"));
        assertThat(fx.awaitDisconnected(id).reason()).contains("IDLE_TIMEOUT");
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void aCoordinatorFrameFromTheWorkerIsUnexpected(Channel t) throws Exception {
        start(t, ListenerFixture.Knobs.defaults());
        TestClient c = fx.connect();
        c.send(TestClient.hello("w1", ListenerFixture.TOKEN, List.of()));
        assertThat(c.next()).isInstanceOf(Welcome.class);
        String id = fx.connectedId(0);

        c.send(new Cancel(1, "workers do not cancel"));

        assertThat(c.readUntilClosed()).filteredOn(f -> !(f instanceof Heartbeat)).containsExactly(
                new ErrorFrame(ErrorCode.UNEXPECTED_FRAME, "CANCEL is not a frame a worker sends"));
        fx.awaitDisconnected(id);
        assertThat(fx.eventsOf(id)).noneMatch(WorkerEvent.Received.class::isInstance);
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void connectionsAboveTheLimitAreRefusedWithTooManyConnections(Channel t) throws Exception {
        start(t, ListenerFixture.Knobs.defaults().maxConnections(1));
        TestClient first = fx.connect();
        first.send(TestClient.hello("first", ListenerFixture.TOKEN, List.of()));
        assertThat(first.next()).isInstanceOf(Welcome.class);

        if (t == Channel.TLS) {
            // refused before its handshake: a TLS client could not read an ERROR in clear, so it is closed
            assertThatThrownBy(fx::connect).isInstanceOf(IOException.class);
        } else {
            TestClient second = fx.connect();
            assertThat(second.readUntilClosed()).containsExactly(new ErrorFrame(ErrorCode.TOO_MANY_CONNECTIONS,
                    "the coordinator has 1 workers connected already (CDNODES_MAX_CONNECTIONS)"));
        }

        first.send(new Drain("unaffected"));
        String firstId = fx.connectedId(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.events.contains(
                new WorkerEvent.Received(firstId, new Drain("unaffected"))));
        first.close();
        fx.awaitNoConnections();

        TestClient third = fx.connect();
        third.send(TestClient.hello("third", ListenerFixture.TOKEN, List.of()));
        assertThat(third.next()).isInstanceOf(Welcome.class);
        assertThat(fx.connectedId(1)).isNotEqualTo(firstId);
    }
}
