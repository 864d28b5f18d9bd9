package io.cdnodes.connector.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdnodes.protocol.tls.Fingerprint;
import io.cdnodes.protocol.tls.Pem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate is generated on the first start, kept and reused after, replaced only when it cannot serve. */
class ServerIdentityTest {

    private static final List<String> NAMES = List.of("localhost", "127.0.0.1", "::1");

    @TempDir
    Path tmp;

    private TlsSettings settings(List<String> names) {
        return new TlsSettings(true, tmp.resolve("tls"), null, null, names);
    }

    @Test
    void theFirstStartGeneratesAKeyOnlyItsOwnerMayReadAndPublishesTheCertificateAndItsFingerprint() throws Exception {
        ServerIdentity id = ServerIdentity.of(settings(NAMES), Instant.now());
        Path dir = tmp.resolve("tls");

        assertThat(id.origin()).isEqualTo("generated in " + dir);
        assertThat(mode(dir.resolve("cdproto.key"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("cdproto.crt"))).isEqualTo("rw-r--r--");
        assertThat(mode(dir)).isEqualTo("rwxr-xr-x");
        assertThat(Pem.readCertificates(dir.resolve("cdproto.crt"))).containsExactly(id.certificate());
        assertThat(Files.readString(dir.resolve("cdproto.sha256"))).isEqualTo(id.fingerprint().hex() + "\n");
        assertThat(Fingerprint.of(id.certificate())).isEqualTo(id.fingerprint());
        assertThat(Pem.privateKey(Files.readString(dir.resolve("cdproto.key")))).isEqualTo(id.key());
        assertThat(id.key().getAlgorithm()).isEqualTo("EC");
        assertThat(SubjectNames.missing(id.certificate(), NAMES)).isEmpty();
        assertThat(id.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(id.certificate().getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(3600)));
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("nothing of keytool's work is left").containsExactlyInAnyOrder("cdproto.key", "cdproto.crt",
                            "cdproto.sha256");
        }
        assertThat(id.toString()).doesNotContain(Pem.privateKey(id.key()).substring(28, 60));
    }

    @Test
    void aPublishFolderOfItsOwnGetsTheCertificateAndItsFingerprintButNeverTheKey() throws Exception {
        Path dir = tmp.resolve("tls");
        Path published = tmp.resolve("public");
        ServerIdentity id = ServerIdentity.of(new TlsSettings(true, dir, null, null, NAMES, published), Instant.now());

        try (Stream<Path> files = Files.list(published)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("cdproto.crt",
                    "cdproto.sha256");
        }
        assertThat(Pem.readCertificates(published.resolve("cdproto.crt"))).containsExactly(id.certificate());
        assertThat(Files.readString(published.resolve("cdproto.sha256"))).isEqualTo(id.fingerprint().hex() + "\n");
        assertThat(mode(published.resolve("cdproto.crt"))).isEqualTo("rw-r--r--");
        assertThat(Pem.privateKey(Files.readString(dir.resolve("cdproto.key")))).isEqualTo(id.key());
        assertThat(Files.readString(dir.resolve("cdproto.sha256"))).as("./cdnodes reads it there")
                .isEqualTo(id.fingerprint().hex() + "\n");
    }

    @Test
    void aKeyLeftInThePublishFolderByAnEarlierLayoutMovesToTheKeysFolderKeepingTheCertificate() throws Exception {
        Path shared = tmp.resolve("shared");
        ServerIdentity before = ServerIdentity.of(new TlsSettings(true, shared, null, null, NAMES), Instant.now());
        assertThat(shared.resolve("cdproto.key")).exists();

        Path dir = tmp.resolve("tls");
        ServerIdentity after = ServerIdentity.of(new TlsSettings(true, dir, null, null, NAMES, shared), Instant.now());

        assertThat(after.fingerprint()).as("workers keep their pin").isEqualTo(before.fingerprint());
        assertThat(after.origin()).isEqualTo("reused from " + dir);
        assertThat(shared.resolve("cdproto.key")).doesNotExist();
        assertThat(mode(dir.resolve("cdproto.key"))).isEqualTo("rw-------");
        assertThat(Files.readString(shared.resolve("cdproto.sha256"))).isEqualTo(after.fingerprint().hex() + "\n");

        Files.copy(dir.resolve("cdproto.key"), shared.resolve("cdproto.key"));
        ServerIdentity again = ServerIdentity.of(new TlsSettings(true, dir, null, null, NAMES, shared), Instant.now());
        assertThat(again.fingerprint()).isEqualTo(before.fingerprint());
        assertThat(shared.resolve("cdproto.key")).as("removed when the key's folder has its own").doesNotExist();
    }

    @Test
    void laterStartsReuseTheCertificateSoWorkersKeepTheirPin() throws Exception {
        ServerIdentity first = ServerIdentity.of(settings(NAMES), Instant.now());
        Files.setPosixFilePermissions(tmp.resolve("tls/cdproto.key"), PosixFilePermissions.fromString("rw-r--r--"));

        ServerIdentity second = ServerIdentity.of(settings(NAMES), Instant.now());

        assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
        assertThat(second.key()).isEqualTo(first.key());
        assertThat(second.origin()).isEqualTo("reused from " + tmp.resolve("tls"));
        assertThat(mode(tmp.resolve("tls/cdproto.key"))).as("a key made readable is closed again").isEqualTo("rw-------");
    }

    @Test
    void aCertificateThatDoesNotNameANewHostOrNoLongerMatchesItsKeyOrExpiredIsReplaced() throws Exception {
        ServerIdentity first = ServerIdentity.of(settings(NAMES), Instant.now());

        ServerIdentity named = ServerIdentity.of(settings(List.of("localhost", "coordinator")), Instant.now());
        assertThat(named.fingerprint()).isNotEqualTo(first.fingerprint());
        assertThat(SubjectNames.missing(named.certificate(), List.of("coordinator", "localhost"))).isEmpty();

        ServerIdentity expired = ServerIdentity.of(settings(List.of("coordinator")),
                Instant.now().plus(Duration.ofDays(CertificateFiles.VALIDITY_DAYS + 1)));
        assertThat(expired.fingerprint()).isNotEqualTo(named.fingerprint());

        Files.writeString(tmp.resolve("tls/cdproto.crt"), Pem.certificate(first.certificate()));
        ServerIdentity mismatched = ServerIdentity.of(settings(List.of("coordinator")), Instant.now());
        assertThat(mismatched.fingerprint()).isNotEqualTo(first.fingerprint()).isNotEqualTo(expired.fingerprint());
        assertThat(mismatched.origin()).startsWith("generated");

        Files.writeString(tmp.resolve("tls/cdproto.key"), "garbage");
        assertThat(ServerIdentity.of(settings(List.of("coordinator")), Instant.now()).origin()).startsWith("generated");
    }

    @Test
    void theAdminsKeystoreIsPresentedAndItsCertificatePublished() throws Exception {
        ServerIdentity made = ServerIdentity.of(new TlsSettings(true, tmp.resolve("made"), null, null, NAMES),
                Instant.now());
        Path store = tmp.resolve("mine.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("mine", made.key(), "pw".toCharArray(), new X509Certificate[] {made.certificate()});
        try (OutputStream out = Files.newOutputStream(store)) {
            ks.store(out, "pw".toCharArray());
        }

        ServerIdentity id = ServerIdentity.of(new TlsSettings(true, tmp.resolve("tls"), store, "pw", NAMES),
                Instant.now());

        assertThat(id.fingerprint()).isEqualTo(made.fingerprint());
        assertThat(id.origin()).isEqualTo("from keystore " + store + " (alias mine)");
        assertThat(Files.readString(tmp.resolve("tls/cdproto.sha256"))).isEqualTo(made.fingerprint().hex() + "\n");
        assertThat(tmp.resolve("tls/cdproto.key")).as("no key is written for a keystore").doesNotExist();
        assertThat(id.serverContext().getProtocol()).isEqualTo("TLSv1.3");
        assertThatThrownBy(() -> ServerIdentity.of(new TlsSettings(true, tmp.resolve("tls"), store, "wrong", NAMES),
                Instant.now())).isInstanceOf(IOException.class)
                .hasMessageStartingWith("CDNODES_TLS_KEYSTORE " + store + " cannot be read as PKCS#12 with "
                        + "CDNODES_TLS_KEYSTORE_PASSWORD");
    }

    @Test
    void subjectNamesCompareAddressesAsAddressesAndHostNamesWithoutCase() throws Exception {
        X509Certificate c = ServerIdentity.of(settings(List.of("Coordinator.Example", "::1", "10.0.0.5")),
                Instant.now()).certificate();

        assertThat(SubjectNames.missing(c, List.of("coordinator.example", "0:0:0:0:0:0:0:1", "10.0.0.5"))).isEmpty();
        assertThat(SubjectNames.missing(c, List.of("10.0.0.6", "other.example", "::2")))
                .containsExactly("10.0.0.6", "other.example", "::2");
        assertThat(SubjectNames.keytoolValue(List.of("a.example", "10.0.0.5", "::1")))
                .isEqualTo("dns:a.example,ip:10.0.0.5,ip:::1");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
