package io.cdnodes.protocol.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The SHA-256 of a certificate's DER encoding, as 64 lower-case hex digits: what the coordinator prints and
 * writes to {@code tls/cdproto.sha256}, and what a worker pins with {@code --tls-fingerprint}.
 *
 * @param hex 64 lower-case hex digits
 */
public record Fingerprint(String hex) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public Fingerprint {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("a SHA-256 fingerprint is 64 hex digits");
        }
    }

    /** The fingerprint of a certificate. */
    public static Fingerprint of(X509Certificate certificate) {
        try {
            return new Fingerprint(HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded())));
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the certificate cannot be encoded: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Reads a fingerprint as people copy it: upper or lower case, with or without colons between the bytes (as
     * {@code keytool} and {@code openssl x509 -fingerprint} print it), surrounding blanks ignored.
     *
     * @throws IllegalArgumentException when the text is not 32 bytes of hex
     */
    public static Fingerprint parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no fingerprint given");
        }
        String t = text.strip();
        if (t.regionMatches(true, 0, "sha256:", 0, 7)) {
            t = t.substring(7);
        }
        String hex = t.replace(":", "").toLowerCase(Locale.ROOT);
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("a SHA-256 fingerprint is 64 hex digits, colons allowed: " + text.strip());
        }
        return new Fingerprint(hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
