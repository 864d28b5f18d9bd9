package io.cdnodes.web.access;

import io.cdnodes.coordinator.access.Caller;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/**
 * The two roles (the groups {@link ApiKeyIdentityStore} gives, mapped one to one in glassfish-web.xml) and the
 * {@link Caller} a request's security context stands for.
 */
public final class Roles {

    /** The admin key: every evaluation, and the keys themselves. */
    public static final String ADMIN = "admin";

    /** Any other valid key: its own evaluations. */
    public static final String USER = "user";

    private Roles() {
    }

    /** Who the request was authenticated as; web.xml lets no request without a key reach a resource. */
    public static Caller caller(SecurityContext security) {
        Principal p = security.getUserPrincipal();
        if (p == null) {
            throw new NotAuthorizedException("Bearer");
        }
        return security.isUserInRole(ADMIN) ? Caller.adminKey() : Caller.namedKey(p.getName());
    }
}
