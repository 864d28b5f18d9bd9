package io.cdnodes.coordinator.repositories;

/**
 * The token a submission brought to fetch its repositories. It lives in memory for that submission's
 * fetches and nowhere else; its {@link #toString()} never shows it, and {@link #scrub} takes it out of any
 * text (a library's error message) before that text is shown or logged.
 */
public final class AccessToken {

    /** No token: public repositories only. */
    public static final AccessToken NONE = new AccessToken("");

    static final int MAX_CHARS = 1024;
    private static final String REDACTED = "[redacted]";

    private final String value;

    private AccessToken(String value) {
        this.value = value;
    }

    /**
     * @param value the token as sent; null or empty means none
     * @throws IllegalArgumentException when it is over-long or holds characters a header cannot carry (the
     *                                  message does not show the token)
     */
    public static AccessToken of(String value) {
        if (value == null || value.isEmpty()) {
            return NONE;
        }
        if (value.length() > MAX_CHARS) {
            throw new IllegalArgumentException("auth_token is longer than " + MAX_CHARS + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new IllegalArgumentException("auth_token must be printable ASCII without spaces");
            }
        }
        return new AccessToken(value);
    }

    public boolean present() {
        return !value.isEmpty();
    }

    /** The secret itself, for an Authorization header or a credentials provider, and nothing else. */
    String value() {
        return value;
    }

    /** The text with every occurrence of the token replaced by "[redacted]". */
    public String scrub(String text) {
        return text == null || value.isEmpty() ? text : text.replace(value, REDACTED);
    }

    /**
     * A copy of the exception chain fit for a log: same classes (named in the messages), stack traces and
     * causes, messages scrubbed.
     */
    public Throwable scrubbed(Throwable t) {
        return scrubbed(t, 0);
    }

    private Throwable scrubbed(Throwable t, int depth) {
        if (t == null || depth > 10) {
            return null;
        }
        Redacted copy = new Redacted(t.getClass().getName() + (t.getMessage() == null ? "" : ": " + scrub(t.getMessage())),
                scrubbed(t.getCause(), depth + 1));
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "AccessToken[none]" : "AccessToken[" + REDACTED + "]";
    }

    /** An exception rewritten without the token. */
    static final class Redacted extends Exception {
        private static final long serialVersionUID = 1L;

        Redacted(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
