package io.cdnodes.web.problem;

/**
 * A request that carries a secret (a repository token): whatever text about it is answered or logged goes
 * through {@link #redact} first, so that a refusal quoting what was sent never shows the secret.
 */
public interface Redacts {

    /** What a secret is replaced with. */
    String REDACTED = "[redacted]";

    /** The text with every occurrence of the secret replaced by {@link #REDACTED}. */
    String redact(String text);
}
