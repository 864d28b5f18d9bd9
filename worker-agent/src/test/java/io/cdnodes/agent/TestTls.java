package io.cdnodes.agent;

import io.cdnodes.protocol.tls.CoordinatorTrust;
import io.cdnodes.protocol.tls.Fingerprint;
import io.cdnodes.protocol.tls.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/** One self-signed certificate for 127.0.0.1 (made once per test run with the JDK's keytool) and a TLS 1.3 server. */
final class TestTls {

    private static final String PASSWORD = "test-password";
    private static final Path DIR = Path.of("target", "test-tls").toAbsolutePath();
    private static SSLContext context;
    private static X509Certificate certificate;

    private TestTls() {
    }

    static synchronized SSLServerSocket serverSocket() throws IOException {
        load();
        SSLServerSocket s = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        s.setEnabledProtocols(new String[] {CoordinatorTrust.PROTOCOL});
        s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        return s;
    }

    static synchronized Fingerprint fingerprint() {
        load();
        return Fingerprint.of(certificate);
    }

    /** The certificate as a PEM file, for {@code --tls-ca}. */
    static synchronized Path certificateFile() {
        load();
        return DIR.resolve("cdproto.crt");
    }

    private static void load() {
        if (context != null) {
            return;
        }
        try {
            Files.createDirectories(DIR);
            Path store = DIR.resolve("coordinator.p12");
            if (!Files.exists(store)) {
                Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                        "-genkeypair", "-alias", "cdproto", "-keyalg", "EC", "-groupname", "secp256r1", "-validity",
                        "30", "-dname", "CN=fake coordinator", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                        "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD)
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IOException("keytool failed: " + out);
                }
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, PASSWORD.toCharArray());
            }
            certificate = (X509Certificate) ks.getCertificate("cdproto");
            Files.writeString(DIR.resolve("cdproto.crt"), Pem.certificate(certificate));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD.toCharArray());
            SSLContext c = SSLContext.getInstance(CoordinatorTrust.PROTOCOL);
            c.init(kmf.getKeyManagers(), null, null);
            context = c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<X509Certificate> certificates() {
        load();
        return List.of(certificate);
    }
}
