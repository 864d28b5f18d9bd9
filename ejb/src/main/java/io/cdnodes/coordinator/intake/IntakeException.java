package io.cdnodes.coordinator.intake;

import jakarta.ejb.ApplicationException;

/**
 * A submission refused for something the submitter can fix. Carries what a problem+json answer needs.
 */
@ApplicationException(rollback = true)
public class IntakeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The kinds of refusal, each with its HTTP status and problem type slug. */
    public enum Kind {
        NOT_A_ZIP(400, "not-a-zip", "The upload is not a zip archive"),
        EMPTY_ZIP(400, "empty-zip", "The zip archive is empty"),
        NO_TESTS(422, "no-tests", "No tests found"),
        UNSAFE_ENTRY(400, "unsafe-entry", "The zip archive holds an entry that is not accepted"),
        TOO_LARGE(413, "too-large", "The upload is over a limit"),
        TOO_MANY_PROJECTS(413, "too-many-projects", "Too many projects in one submission"),
        BAD_REQUEST(400, "bad-request", "The request is not acceptable");

        private final int status;
        private final String slug;
        private final String title;

        Kind(int status, String slug, String title) {
            this.status = status;
            this.slug = slug;
            this.title = title;
        }

        public int status() {
            return status;
        }

        public String slug() {
            return slug;
        }

        public String title() {
            return title;
        }
    }

    private final Kind kind;
    private final String entry;

    public IntakeException(Kind kind, String detail) {
        this(kind, detail, null);
    }

    public IntakeException(Kind kind, String detail, String entry) {
        super(detail);
        this.kind = kind;
        this.entry = entry;
    }

    public Kind kind() {
        return kind;
    }

    /** The zip entry at fault, when there is one. */
    public String entry() {
        return entry;
    }
}
