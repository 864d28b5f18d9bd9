package io.cdnodes.coordinator.access;

import java.util.Optional;

/**
 * Which evaluations a caller may see: the admin key sees every evaluation; any other key sees only those it
 * submitted. Evaluations recorded before keys existed have no owner and are seen by the admin key only. "Seeing"
 * covers reading, listing, streaming, downloading and cancelling; an evaluation a caller may not see is answered
 * exactly as one that does not exist, so that ids say nothing about other keys' work.
 */
public final class Ownership {

    private Ownership() {
    }

    /** Whether {@code caller} may see an evaluation submitted by {@code owner} (null: no owner recorded). */
    public static boolean sees(Caller caller, String owner) {
        return caller.admin() || owner != null && owner.equals(caller.name());
    }

    /**
     * The owner a listing is restricted to, for the database to filter on: empty for the admin key (every
     * evaluation), the caller's own name otherwise.
     */
    public static Optional<String> listedOwner(Caller caller) {
        return caller.admin() ? Optional.empty() : Optional.of(caller.name());
    }

    /** The owner recorded on an evaluation the caller submits. */
    public static String ownerOfNew(Caller caller) {
        return caller.name();
    }
}
