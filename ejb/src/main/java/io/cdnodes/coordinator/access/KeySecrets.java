package io.cdnodes.coordinator.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The text of an API key and how it is checked. A key reads {@code cdn_<id>_<secret>}: the id (16 hex digits,
 * random) is public and finds the key's row without a scan; the secret (256 random bits, base64url without
 * padding) is never stored: the row holds a random salt and SHA-256(salt ‖ secret), and a presented key is
 * checked by hashing its secret the same way and comparing in constant time ({@link MessageDigest#isEqual}).
 * A slow password hash would add nothing: the secret is random and as long as the hash.
 */
public final class KeySecrets {

    static final String PREFIX = "cdn_";
    static final int ID_BYTES = 8;
    static final int SECRET_BYTES = 32;
    static final int SALT_BYTES = 16;

    private static final Pattern KEY = Pattern.compile("cdn_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private KeySecrets() {
    }

    /**
     * A key just made: its text, shown once to whoever asked for it, and what is stored instead of it.
     * {@link #toString()} leaves the text out, so that it cannot end up in a log by accident.
     */
    public record Issued(String lookupId, String text, byte[] salt, byte[] hash) {
        @Override
        public String toString() {
            return "Issued[lookupId=" + lookupId + "]";
        }
    }

    /** A key as a client presented it: the public id and the secret's bytes. */
    public record Presented(String lookupId, byte[] secret) {
        @Override
        public String toString() {
            return "Presented[lookupId=" + lookupId + "]";
        }
    }

    /** Makes a new key. */
    public static Issued issue(SecureRandom random) {
        byte[] id = new byte[ID_BYTES];
        byte[] secret = new byte[SECRET_BYTES];
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(id);
        random.nextBytes(secret);
        random.nextBytes(salt);
        String lookupId = HexFormat.of().formatHex(id);
        return new Issued(lookupId, PREFIX + lookupId + "_" + B64.encodeToString(secret), salt, hash(salt, secret));
    }

    /** Reads a presented key; empty when it does not have the shape of one (it cannot be valid then). */
    public static Optional<Presented> parse(String text) {
        if (text == null || text.length() != 64) {
            return Optional.empty();
        }
        var m = KEY.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        byte[] secret;
        try {
            secret = Base64.getUrlDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // the decoder ignores the last character's two spare bits: only the one canonical spelling is a key
        if (secret.length != SECRET_BYTES || !B64.encodeToString(secret).equals(m.group(2))) {
            return Optional.empty();
        }
        return Optional.of(new Presented(m.group(1), secret));
    }

    /** Whether {@code secret} is the one whose salted hash is {@code expected}; constant time in the secret. */
    public static boolean matches(byte[] salt, byte[] expected, byte[] secret) {
        return MessageDigest.isEqual(expected, hash(salt, secret));
    }

    /** SHA-256(salt ‖ secret). */
    public static byte[] hash(byte[] salt, byte[] secret) {
        MessageDigest sha = sha256();
        sha.update(salt);
        sha.update(secret);
        return sha.digest();
    }

    /** The same for a key given as text (the admin key, which has no fixed shape). */
    public static byte[] hash(byte[] salt, String text) {
        return hash(salt, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A new random salt. */
    public static byte[] salt(SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return salt;
    }

    /** 256 random bits as base64url, for a generated admin key. */
    static String randomSecret(SecureRandom random) {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return B64.encodeToString(secret);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
