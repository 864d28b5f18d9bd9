package io.cdnodes.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker's side of the handshake against a real TLS 1.3 server on loopback. */
class CoordinatorTrustTest {

    @TempDir
    static Path tmp;

    private static TestCertificates.Identity loopback;
    private static TestCertificates.Identity elsewhere;
    private static TestCertificates.Identity other;
    private ServerSocket server;
    private CompletableFuture<String> served;

    @BeforeAll
    static void certificates() throws Exception {
        loopback = TestCertificates.make(tmp, "loopback", "ip:127.0.0.1,dns:localhost");
        elsewhere = TestCertificates.make(tmp, "elsewhere", "dns:coordinator.example");
        other = TestCertificates.make(tmp, "other", "ip:127.0.0.1");
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /** A TLS 1.3 server presenting {@code id} to one client; {@link #served} completes with what it saw. */
    private int serve(TestCertificates.Identity id) throws Exception {
        SSLServerSocket s = (SSLServerSocket) id.serverContext().getServerSocketFactory().createServerSocket();
        s.setEnabledProtocols(new String[] {"TLSv1.3"});
        return listen(s, c -> {
            ((SSLSocket) c).startHandshake();
            c.getOutputStream().write(42);
            c.getOutputStream().flush();
            return ((SSLSocket) c).getSession().getProtocol();
        });
    }

    private interface Serving {
        String serve(Socket client) throws IOException;
    }

    private int listen(ServerSocket s, Serving serving) throws IOException {
        server = s;
        s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        s.setSoTimeout(10_000);
        served = CompletableFuture.supplyAsync(() -> {
            try (Socket c = s.accept()) {
                c.setSoTimeout(10_000);
                return serving.serve(c);
            } catch (IOException e) {
                return "failed: " + e;
            }
        });
        return s.getLocalPort();
    }

    private static SSLSocket connect(CoordinatorTrust trust, String host, int port) throws IOException {
        Socket raw = new Socket();
        raw.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5000);
        return trust.handshake(raw, host, port, Duration.ofSeconds(10));
    }

    @Test
    void thePinnedCertificateIsTrustedWhateverItNames() throws Exception {
        int port = serve(elsewhere);

        try (SSLSocket s = connect(CoordinatorTrust.pinned(elsewhere.fingerprint()), "127.0.0.1", port)) {
            assertThat(s.getInputStream().read()).isEqualTo(42);
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(s.getSoTimeout()).as("the handshake's timeout is not left behind").isZero();
        }
        assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo("TLSv1.3");
    }

    @Test
    void anotherFingerprintIsRefusedSayingWhatWasFound() throws Exception {
        int port = serve(other);

        assertThatThrownBy(() -> connect(CoordinatorTrust.pinned(loopback.fingerprint()), "127.0.0.1", port))
                .isInstanceOf(CertificateRefusedException.class)
                .hasMessage("the coordinator's certificate has the SHA-256 fingerprint " + other.fingerprint()
                        + ", not the expected " + loopback.fingerprint());
        assertThat(served.get(10, TimeUnit.SECONDS)).as("the server never got to write").startsWith("failed: ");
    }

    @Test
    void aCertificateAuthorityFileIsTrustedForTheNamesItsCertificatesGive() throws Exception {
        int port = serve(loopback);

        try (SSLSocket s = connect(CoordinatorTrust.authorities(List.of(other.certificate(), loopback.certificate()),
                "ca.pem"), "127.0.0.1", port)) {
            assertThat(s.getInputStream().read()).isEqualTo(42);
        }
    }

    @Test
    void aCertificateFromAnotherAuthorityIsRefused() throws Exception {
        int port = serve(other);

        assertThatThrownBy(() -> connect(CoordinatorTrust.authorities(List.of(loopback.certificate()), "ca.pem"),
                "127.0.0.1", port))
                .isInstanceOf(CertificateRefusedException.class)
                .hasMessageStartingWith("the coordinator's certificate is not trusted by ca.pem: ");
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
        int port = serve(elsewhere);

        assertThatThrownBy(() -> connect(CoordinatorTrust.authorities(List.of(elsewhere.certificate()), "ca.pem"),
                "127.0.0.1", port))
                .isInstanceOf(CertificateRefusedException.class)
                .hasMessageContaining("not trusted by ca.pem").hasMessageContaining("127.0.0.1");
    }

    @Test
    void aServerWithoutTlsFailsTheHandshakeButIsNoCertificateRefusal() throws Exception {
        int port = listen(new ServerSocket(), c -> {
            c.getInputStream().read(new byte[512]);
            c.getOutputStream().write("not tls at all\n".repeat(20).getBytes());
            c.getOutputStream().flush();
            return "answered in clear";
        });

        assertThatThrownBy(() -> connect(CoordinatorTrust.pinned(loopback.fingerprint()), "127.0.0.1", port))
                .isInstanceOf(IOException.class).isNotInstanceOf(CertificateRefusedException.class);
        assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo("answered in clear");
    }

    @Test
    void theHandshakeIsBoundedByItsTimeout() throws Exception {
        int port = listen(new ServerSocket(), c -> {
            c.getInputStream().read(new byte[512]);
            try {
                Thread.sleep(3000); // says nothing back
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "silent";
        });
        Socket raw = new Socket("127.0.0.1", port);

        assertThatThrownBy(() -> CoordinatorTrust.pinned(loopback.fingerprint())
                .handshake(raw, "127.0.0.1", port, Duration.ofMillis(300)))
                .isInstanceOf(java.net.SocketTimeoutException.class);
        assertThat(raw.isClosed()).isTrue();
    }
}
