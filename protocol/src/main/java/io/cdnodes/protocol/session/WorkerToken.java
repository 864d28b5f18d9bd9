package io.cdnodes.protocol.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The shared secret workers present. Holds only the token's SHA-256, compares in constant time (digests
 * of equal length, so neither content nor length leaks through timing), and never prints the token.
 */
public final class WorkerToken {

    private final byte[] digest;
    private final boolean open;

    private WorkerToken(byte[] digest, boolean open) {
        this.digest = digest;
        this.open = open;
    }

    /** A token every worker must present. */
    public static WorkerToken of(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("a worker token must not be empty; use none() for an open coordinator");
        }
        return new WorkerToken(sha256(secret), false);
    }

    /** No token configured: every worker is accepted. Only sensible on a trusted network. */
    public static WorkerToken none() {
        return new WorkerToken(new byte[0], true);
    }

    /** Whether this is {@link #none()}. */
    public boolean isOpen() {
        return open;
    }

    /** Whether {@code presented} is the token, in time independent of where it differs. */
    public boolean matches(String presented) {
        if (open) {
            return true;
        }
        return MessageDigest.isEqual(digest, sha256(presented == null ? "" : presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return open ? "WorkerToken[none]" : "WorkerToken[<redacted>]";
    }
}
