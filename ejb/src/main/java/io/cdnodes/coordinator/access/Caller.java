package io.cdnodes.coordinator.access;

import java.util.Objects;

/**
 * Whoever a request was authenticated as: the name of its API key, and whether it is the admin key.
 *
 * @param name  the key's name ({@link #ADMIN_NAME} for the admin key); what evaluations record as their owner
 * @param admin whether this is the admin key, which sees and manages everything
 */
public record Caller(String name, boolean admin) {

    /** The admin key's name: reserved, no API key can be given it. */
    public static final String ADMIN_NAME = "admin";

    public Caller {
        Objects.requireNonNull(name, "name");
        if (admin != ADMIN_NAME.equals(name)) {
            throw new IllegalArgumentException("only the admin key is named " + ADMIN_NAME);
        }
    }

    /** The admin key's caller. */
    public static Caller adminKey() {
        return new Caller(ADMIN_NAME, true);
    }

    /** The caller of a named, non-admin API key. */
    public static Caller namedKey(String name) {
        return new Caller(name, false);
    }
}
