package io.cdnodes.coordinator.repositories;

import io.cdnodes.coordinator.fetchpolicy.FetchPolicy;
/**
 * A repository that could not be fetched, with the reason its project shows ("repository o/r not found or
 * not visible with this token"). The reason never carries the token.
 *
 * <p>What a reason may say depends on whom it is about. From GitHub's API (the admin's
 * {@code CDNODES_GITHUB_API}), a host the admin lists and a {@code file://} root the admin allows, it says
 * what went wrong. Anything else gets one of two fixed texts, {@link #REFUSED} or {@link #FAILED}, so that
 * no submitter can probe the coordinator's network or disk through them: which names resolve, which
 * addresses answer, which folders exist. The details go to the coordinator's log ({@link #detail()}).
 */
public final class FetchFailure extends Exception {

    /** The reason of every fetch the policy refused, for whatever cause. */
    public static final String REFUSED = "refused by this coordinator's fetch policy: it fetches only from hosts whose "
            + "addresses are all public, hosts its admin lists (CDNODES_FETCH_ALLOW_HOSTS), and file:// repositories "
            + "in folders its admin lists (CDNODES_FETCH_FILE_ROOTS)";

    /** The reason of every failed fetch from a host that is not listed, for whatever cause. */
    public static final String FAILED = "could not fetch this repository: the server could not be reached, did not "
            + "serve a git repository there, or refused access";

    private static final long serialVersionUID = 1L;

    private final String detail;

    /** A failure whose reason may be shown as it is. */
    public FetchFailure(String reason) {
        this(reason, null);
    }

    private FetchFailure(String reason, String detail) {
        super(reason);
        this.detail = detail;
    }

    /** A fetch the policy refused; the detail goes to the log only. */
    public static FetchFailure refused(FetchPolicy.Refused refused) {
        return new FetchFailure(REFUSED, refused.getMessage());
    }

    /** A fetch from a host that is not listed that failed; the detail goes to the log only. */
    public static FetchFailure failed(String detail) {
        return new FetchFailure(FAILED, detail);
    }

    /** What the coordinator's log may add to the reason (never a token); null when the reason says it all. */
    public String detail() {
        return detail;
    }
}
