package io.cdnodes.web.access;

import java.util.Locale;

/**
 * Reads an {@code Authorization} header as RFC 6750 bearer credentials: the scheme {@code Bearer} (any case),
 * one or more spaces, and a token of visible ASCII characters, at most {@link #MAX_TOKEN} of them.
 */
public sealed interface BearerHeader {

    /** Longer than any key the coordinator makes or accepts, with room to spare. */
    int MAX_TOKEN = 1024;

    /** No {@code Authorization} header. */
    record Missing() implements BearerHeader {
    }

    /** A header that is not bearer credentials, or not well formed. */
    record Malformed() implements BearerHeader {
    }

    /** A bearer token; {@link #toString()} leaves it out. */
    record Token(String value) implements BearerHeader {
        @Override
        public String toString() {
            return "Token[" + value.length() + " characters]";
        }
    }

    static BearerHeader parse(String header) {
        if (header == null) {
            return new Missing();
        }
        String h = header.strip();
        int space = h.indexOf(' ');
        if (space < 0 || !h.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            return new Malformed();
        }
        String token = h.substring(space + 1).stripLeading();
        if (token.isEmpty() || token.length() > MAX_TOKEN) {
            return new Malformed();
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return new Malformed();
            }
        }
        return new Token(token);
    }
}
