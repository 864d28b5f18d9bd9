package io.cdnodes.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.spec.InvalidKeySpecException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintAndPemTest {

    private static final String HEX = "0123456789abcdef".repeat(4);

    @TempDir
    Path tmp;

    @Test
    void aFingerprintIsTheSha256OfTheCertificatesDer() throws Exception {
        TestCertificates.Identity id = TestCertificates.make(tmp, "fp", null);

        assertThat(Fingerprint.of(id.certificate()).hex()).isEqualTo(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.certificate().getEncoded())));
    }

    @Test
    void fingerprintsAreReadAsPeopleCopyThem() {
        String colons = HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(HEX));

        assertThat(Fingerprint.parse(HEX).hex()).isEqualTo(HEX);
        assertThat(Fingerprint.parse("  " + HEX.toUpperCase() + "\n")).isEqualTo(new Fingerprint(HEX));
        assertThat(Fingerprint.parse(colons)).isEqualTo(new Fingerprint(HEX));
        assertThat(Fingerprint.parse("SHA256:" + HEX)).isEqualTo(new Fingerprint(HEX));
        assertThat(new Fingerprint(HEX).toString()).isEqualTo(HEX);
        assertThatIllegalArgumentException().isThrownBy(() -> Fingerprint.parse(HEX.substring(2)))
                .withMessageStartingWith("a SHA-256 fingerprint is 64 hex digits");
        assertThatIllegalArgumentException().isThrownBy(() -> Fingerprint.parse(HEX.replace('a', 'g')));
        assertThatIllegalArgumentException().isThrownBy(() -> Fingerprint.parse(null));
        assertThatIllegalArgumentException().isThrownBy(() -> new Fingerprint(HEX.toUpperCase()));
    }

    @Test
    void certificatesAndKeysSurviveAPemRoundTrip() throws Exception {
        TestCertificates.Identity a = TestCertificates.make(tmp, "a", "dns:localhost");
        TestCertificates.Identity b = TestCertificates.make(tmp, "b", null);
        Path file = tmp.resolve("both.pem");
        Files.writeString(file, "a comment\n" + Pem.certificate(a.certificate()) + Pem.certificate(b.certificate()));

        assertThat(Pem.readCertificates(file)).containsExactly(a.certificate(), b.certificate());
        assertThat(Pem.privateKey("junk\n" + Pem.privateKey(a.key()))).isEqualTo(a.key());
        PrivateKey rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        assertThat(Pem.privateKey(Pem.privateKey(rsa))).isEqualTo(rsa);
        assertThat(Pem.certificate(a.certificate())).startsWith("-----BEGIN CERTIFICATE-----\n")
                .endsWith("\n-----END CERTIFICATE-----\n")
                .satisfies(pem -> assertThat(List.of(pem.split("\n"))).allMatch(line -> line.length() <= 64));
    }

    @Test
    void textWithoutTheBlockIsRefusedNamingTheFile() throws Exception {
        Path file = tmp.resolve("key-only.pem");
        TestCertificates.Identity a = TestCertificates.make(tmp, "a", null);
        Files.writeString(file, Pem.privateKey(a.key()));

        assertThatThrownBy(() -> Pem.readCertificates(file)).isInstanceOf(CertificateException.class)
                .hasMessage(file + ": no PEM certificate (-----BEGIN CERTIFICATE-----) found");
        assertThatThrownBy(() -> Pem.privateKey(Pem.certificate(a.certificate())))
                .isInstanceOf(InvalidKeySpecException.class);
    }
}
