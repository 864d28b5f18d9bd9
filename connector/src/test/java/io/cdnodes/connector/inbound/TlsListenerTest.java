package io.cdnodes.connector.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdnodes.protocol.codec.FrameEncoder;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.frame.Welcome;
import io.cdnodes.protocol.tls.CertificateRefusedException;
import io.cdnodes.protocol.tls.CoordinatorTrust;
import io.cdnodes.protocol.tls.Fingerprint;
import io.cdnodes.protocol.tls.Pem;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The TLS listener: whom it talks to, and what happens to everyone else. */
class TlsListenerTest {

    private ListenerFixture fx;

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    private void start(ListenerFixture.Knobs knobs) throws Exception {
        fx = new ListenerFixture(Channel.TLS, knobs);
    }

    private SSLSocket handshake(CoordinatorTrust trust, String host) throws Exception {
        return trust.handshake(new Socket("127.0.0.1", fx.port()), host, fx.port(), Duration.ofSeconds(5));
    }

    @Test
    void aWorkerSpeakingPlainCdProtoIsToldInClearThatThePortSpeaksTls() throws Exception {
        start(ListenerFixture.Knobs.defaults());
        TestClient plain = fx.connectRaw();
        plain.send(TestClient.hello("plain", ListenerFixture.TOKEN, List.of()));

        assertThat(plain.readUntilClosed()).containsExactly(new ErrorFrame(ErrorCode.UNSUPPORTED_VERSION,
                "this coordinator speaks CDProto over TLS 1.3 on this port: start the worker with --tls-fingerprint "
                + "or --tls-ca (plain TCP needs CDNODES_PROTO_TLS=false on the coordinator and --plain-tcp on the "
                + "worker)"));
        fx.awaitNoConnections();
        assertThat(fx.events).isEmpty();
    }

    @Test
    void otherPlainBytesAreToldTheyAreNotTlsAndAGoodWorkerCarriesOn() throws Exception {
        start(ListenerFixture.Knobs.defaults());
        TestClient good = fx.connect();
        good.send(TestClient.hello("good", ListenerFixture.TOKEN, List.of()));
        assertThat(good.next()).isInstanceOf(Welcome.class);

        TestClient http = fx.connectRaw();
        http.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(http.readUntilClosed()).containsExactly(new ErrorFrame(ErrorCode.MALFORMED_FRAME,
                "not TLS: this port speaks CDProto over TLS 1.3"));
        assertThat(fx.registry.establishedInfo()).singleElement().satisfies(i -> assertThat(i.workerName())
                .isEqualTo("good"));
        good.send(new io.cdnodes.protocol.frame.Drain("still here"));
        String id = fx.connectedId(0);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fx.eventsOf(id).size() == 2);
    }

    @Test
    void aPeerThatNeverStartsOrNeverFinishesTheTlsHandshakeIsClosedAtTheHandshakeDeadline() throws Exception {
        start(ListenerFixture.Knobs.defaults().timeouts(400, 1000, 5000, 30_000));
        TestClient silent = fx.connectRaw();
        TestClient stalled = fx.connectRaw();
        stalled.sendRaw(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00}); // the start of a ClientHello, then nothing

        assertThat(silent.readUntilClosed()).isEmpty();
        byte[] toStalled = stalled.readRawUntilClosed();
        // nothing, or a TLS alert record (content type 21) as the half-started handshake is given up: never a frame
        if (toStalled.length > 0) {
            assertThat(toStalled[0]).as("TLS record type sent to a stalled handshake").isEqualTo((byte) 21);
        }
        fx.awaitNoConnections();
        assertThat(fx.events).isEmpty();
    }

    @Test
    void aWorkerPinningAnotherFingerprintRefusesTheCoordinatorAndNothingIsDelivered() throws Exception {
        start(ListenerFixture.Knobs.defaults());
        Fingerprint wrong = Fingerprint.parse("ab".repeat(32));

        assertThatThrownBy(() -> handshake(CoordinatorTrust.pinned(wrong), "127.0.0.1"))
                .isInstanceOf(CertificateRefusedException.class)
                .hasMessage("the coordinator's certificate has the SHA-256 fingerprint "
                        + ListenerFixture.identity().fingerprint() + ", not the expected " + wrong);
        fx.awaitNoConnections();
        assertThat(fx.events).isEmpty();
    }

    @Test
    void thePublishedCertificateServesAsTheCaFileForEveryLocalName() throws Exception {
        start(ListenerFixture.Knobs.defaults());
        Path crt = Path.of("target", "test-tls", "cdproto.crt");
        CoordinatorTrust ca = CoordinatorTrust.authorities(Pem.readCertificates(crt), crt.toString());

        for (String host : List.of("127.0.0.1", "localhost")) {
            try (SSLSocket s = handshake(ca, host)) {
                TestClient c = new TestClient(s);
                c.send(TestClient.hello("ca-" + host, ListenerFixture.TOKEN, List.of()));
                assertThat(c.next()).isInstanceOf(Welcome.class);
            }
        }
        assertThatThrownBy(() -> handshake(ca, "coordinator.example")).isInstanceOf(CertificateRefusedException.class);
    }

    @Test
    void aHelloSentInClearBeforeTheHandshakeIsNeverTakenAsOne() throws Exception {
        start(ListenerFixture.Knobs.defaults());
        try (Socket raw = new Socket("127.0.0.1", fx.port())) {
            raw.getOutputStream().write(new FrameEncoder().encode(TestClient.hello("sneaky", ListenerFixture.TOKEN,
                    List.of())));
            raw.setSoTimeout(5000);
            raw.getInputStream().readAllBytes();
        }
        fx.awaitNoConnections();
        assertThat(fx.events).isEmpty();
    }
}
