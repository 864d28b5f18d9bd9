package io.cdnodes.protocol.pkg;

import java.io.IOException;

/** An archive refused for safety or limits. Names the entry and the rule it broke. */
public final class UnsafeArchiveException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Which rule an archive broke. */
    public enum Rule { NOT_A_ZIP, UNSAFE_PATH, LINK, TOO_MANY_ENTRIES, ENTRY_TOO_LARGE, TOTAL_TOO_LARGE, RATIO, DUPLICATE }

    private final Rule rule;
    private final String entry;

    public UnsafeArchiveException(Rule rule, String entry, String message) {
        super(message);
        this.rule = rule;
        this.entry = entry;
    }

    public Rule rule() {
        return rule;
    }

    /** The offending entry's name as the archive gives it, or null when the archive as a whole is at fault. */
    public String entry() {
        return entry;
    }
}
