package io.cdnodes.coordinator.access;

import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The admin key, held only as a salted hash made when the coordinator starts: a presented key is hashed with
 * the same salt and compared in constant time, so neither its content nor its length shows in the time taken.
 */
public final class AdminKey {

    /** The shortest admin key accepted from {@code CDNODES_ADMIN_KEY}. */
    public static final int MIN_LENGTH = 24;

    private final byte[] salt;
    private final byte[] hash;

    private AdminKey(byte[] salt, byte[] hash) {
        this.salt = salt;
        this.hash = hash;
    }

    /**
     * @param text the key (from the environment or the key file)
     * @throws IllegalArgumentException when it is too short or holds anything but visible ASCII (an HTTP header
     *                                  could not carry it intact)
     */
    public static AdminKey of(String text, SecureRandom random) {
        check(text);
        byte[] salt = KeySecrets.salt(random);
        return new AdminKey(salt, KeySecrets.hash(salt, text));
    }

    /** Whether {@code presented} is the admin key. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(hash, KeySecrets.hash(salt, presented));
    }

    static void check(String text) {
        if (text.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("the admin key must be at least " + MIN_LENGTH
                    + " characters long (for example: openssl rand -hex 32)");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException("the admin key may hold only visible ASCII characters (no spaces)");
            }
        }
    }

    @Override
    public String toString() {
        return "AdminKey[hashed]";
    }
}
