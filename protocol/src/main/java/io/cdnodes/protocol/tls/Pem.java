package io.cdnodes.protocol.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM text (RFC 7468) for certificates and PKCS#8 private keys, as {@code openssl} and browsers write it. */
public final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "Ed25519", "Ed448");

    private Pem() {
    }

    /**
     * Every certificate in the text, in order.
     *
     * @throws CertificateException when there is none, or one does not parse
     */
    public static List<X509Certificate> certificates(String text) throws CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (byte[] der : blocks(text, "CERTIFICATE")) {
            out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
        }
        if (out.isEmpty()) {
            throw new CertificateException("no PEM certificate (-----BEGIN CERTIFICATE-----) found");
        }
        return out;
    }

    /** Every certificate in a PEM file; the file's name is in the message of what goes wrong. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException, CertificateException {
        try {
            return certificates(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (CertificateException e) {
            throw new CertificateException(file + ": " + e.getMessage(), e);
        }
    }

    public static String certificate(X509Certificate certificate) throws CertificateException {
        return block("CERTIFICATE", certificate.getEncoded());
    }

    /** A private key as an unencrypted PKCS#8 block: the file that holds it must be readable by its owner only. */
    public static String privateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("not a PKCS#8 key: " + key.getFormat());
        }
        return block("PRIVATE KEY", key.getEncoded());
    }

    /**
     * The first unencrypted PKCS#8 private key in the text (EC, RSA or EdDSA).
     *
     * @throws GeneralSecurityException when there is none or it does not parse
     */
    public static PrivateKey privateKey(String text) throws GeneralSecurityException {
        List<byte[]> keys = blocks(text, "PRIVATE KEY");
        if (keys.isEmpty()) {
            throw new InvalidKeySpecException("no PEM private key (-----BEGIN PRIVATE KEY-----) found");
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(keys.get(0)));
            } catch (InvalidKeySpecException e) {
                // another algorithm's key: try the next
            }
        }
        throw new InvalidKeySpecException("the private key is none of " + KEY_ALGORITHMS);
    }

    private static List<byte[]> blocks(String text, String label) {
        List<byte[]> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(label)) {
                out.add(Base64.getMimeDecoder().decode(m.group(2)));
            }
        }
        return out;
    }

    private static String block(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
