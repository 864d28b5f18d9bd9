package io.cdnodes.coordinator.access;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What an API key may be named: 1 to 64 letters, digits, {@code -}, {@code _} and {@code .}, not only dots (a
 * name is a path segment in {@code /api-keys/{name}}), and not {@code admin} in any case (the admin key's name,
 * which owns the evaluations it submits).
 */
public final class KeyNames {

    public static final int MAX_LENGTH = 64;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");
    private static final Pattern DOTS = Pattern.compile("\\.+");

    private KeyNames() {
    }

    /**
     * @return the name, when it is acceptable
     * @throws ApiKeyException saying what is wrong with it
     */
    public static String check(String name) {
        if (name == null || !NAME.matcher(name).matches() || DOTS.matcher(name).matches()) {
            throw new ApiKeyException(ApiKeyException.Kind.BAD_NAME, "a key name is 1 to " + MAX_LENGTH
                    + " letters, digits, '-', '_' or '.', and not only dots");
        }
        if (name.toLowerCase(Locale.ROOT).equals(Caller.ADMIN_NAME)) {
            throw new ApiKeyException(ApiKeyException.Kind.NAME_TAKEN, "'" + Caller.ADMIN_NAME
                    + "' is the admin key's name");
        }
        return name;
    }
}
