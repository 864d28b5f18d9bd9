package io.cdnodes.protocol.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Self-signed certificates made with the JDK's own keytool, for tests. */
public final class TestCertificates {

    public static final String PASSWORD = "test-password";

    /** A key, its self-signed certificate and the PKCS#12 file holding both. */
    public record Identity(Path keystore, PrivateKey key, X509Certificate certificate) {

        public Fingerprint fingerprint() {
            return Fingerprint.of(certificate);
        }

        /** A server context presenting this identity over TLS 1.3. */
        public SSLContext serverContext() throws GeneralSecurityException, IOException {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                ks.load(in, PASSWORD.toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD.toCharArray());
            SSLContext c = SSLContext.getInstance(CoordinatorTrust.PROTOCOL);
            c.init(kmf.getKeyManagers(), null, null);
            return c;
        }
    }

    private TestCertificates() {
    }

    /**
     * A new EC key and certificate in {@code dir}/{@code name}.p12.
     *
     * @param san keytool's SAN value, e.g. {@code ip:127.0.0.1,dns:localhost}; null for none
     */
    public static Identity make(Path dir, String name, String san) throws IOException, GeneralSecurityException {
        Path file = dir.resolve(name + ".p12");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "cdproto", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + name, "-keystore", file.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        if (san != null) {
            cmd.addAll(List.of("-ext", "SAN=" + san));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return new Identity(file, (PrivateKey) ks.getKey("cdproto", PASSWORD.toCharArray()),
                (X509Certificate) ks.getCertificate("cdproto"));
    }
}
