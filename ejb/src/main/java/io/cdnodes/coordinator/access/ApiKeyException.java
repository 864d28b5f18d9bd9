package io.cdnodes.coordinator.access;

import jakarta.ejb.ApplicationException;

/** A request about API keys that cannot be carried out; carries what a problem+json answer needs. */
@ApplicationException(rollback = true)
public class ApiKeyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The kinds of refusal, each with its HTTP status and problem type slug. */
    public enum Kind {
        BAD_NAME(400, "bad-key-name", "The key name is not acceptable"),
        NAME_TAKEN(409, "key-name-taken", "The key name is taken"),
        NOT_FOUND(404, "no-such-key", "No such API key"),
        ADMIN_KEY(409, "admin-key", "The admin key is not managed through the API");

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

    public ApiKeyException(Kind kind, String detail) {
        super(detail);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
