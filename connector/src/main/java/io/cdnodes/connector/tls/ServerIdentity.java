package io.cdnodes.connector.tls;

import io.cdnodes.protocol.tls.CoordinatorTrust;
import io.cdnodes.protocol.tls.Fingerprint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The key and certificate chain CDProto's TLS listener presents, and where they came from.
 *
 * @param key         the private key
 * @param chain       the certificate first, then its issuers
 * @param fingerprint the SHA-256 of the certificate, for workers to pin
 * @param origin      for the log: generated, reused from the data folder, or read from a keystore
 */
public record ServerIdentity(PrivateKey key, List<X509Certificate> chain, Fingerprint fingerprint, String origin) {

    public ServerIdentity {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a TLS identity needs a certificate");
        }
    }

    /**
     * The identity the settings ask for: the admin's keystore, or the certificate generated in the data folder on
     * an earlier start, or a new one. Either way the certificate in use is published as {@code cdproto.crt} and its
     * fingerprint as {@code cdproto.sha256} in {@link TlsSettings#dir()}, and in {@link TlsSettings#publishDir()}
     * when that is another folder: one workers may read, which never holds the key (a key found there, where an
     * earlier layout kept it, is moved to {@code dir} when {@code dir} has none, and removed).
     *
     * @throws IOException              with a message for the admin when it cannot be had
     * @throws GeneralSecurityException when a keystore or key cannot be read
     */
    public static ServerIdentity of(TlsSettings settings, Instant now) throws IOException, GeneralSecurityException {
        CertificateFiles files = new CertificateFiles(settings.dir());
        CertificateFiles published = new CertificateFiles(settings.publishDir());
        if (settings.publishesApart()) {
            files.takeKeyFrom(published);
        }
        ServerIdentity id = settings.keystore() != null
                ? fromKeystore(settings.keystore(), settings.keystorePassword())
                : files.loadOrGenerate(settings.names(), now);
        files.publish(id.chain());
        if (settings.publishesApart()) {
            published.publish(id.chain());
        }
        return id;
    }

    static ServerIdentity fromKeystore(Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        } catch (IOException e) {
            throw new IOException("CDNODES_TLS_KEYSTORE " + file + " cannot be read as PKCS#12 with "
                    + "CDNODES_TLS_KEYSTORE_PASSWORD: " + e.getMessage(), e);
        }
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                Certificate[] chain = store.getCertificateChain(alias);
                PrivateKey key = (PrivateKey) store.getKey(alias, password.toCharArray());
                List<X509Certificate> certs = Arrays.stream(chain).map(c -> (X509Certificate) c).toList();
                return new ServerIdentity(key, certs, Fingerprint.of(certs.get(0)), "from keystore " + file
                        + " (alias " + alias + ")");
            }
        }
        throw new IOException("CDNODES_TLS_KEYSTORE " + file + " holds no private key");
    }

    /** The certificate presented. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** A TLS 1.3 server context presenting this identity. */
    public SSLContext serverContext() throws GeneralSecurityException {
        try {
            char[] password = new char[24];
            SecureRandom random = new SecureRandom();
            for (int i = 0; i < password.length; i++) {
                password[i] = (char) ('a' + random.nextInt(26));
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("cdproto", key, password, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext context = SSLContext.getInstance(CoordinatorTrust.PROTOCOL);
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (IOException e) {
            throw new GeneralSecurityException("an in-memory keystore failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "ServerIdentity[" + certificate().getSubjectX500Principal() + ", sha256=" + fingerprint + ", " + origin
                + "]";
    }
}
