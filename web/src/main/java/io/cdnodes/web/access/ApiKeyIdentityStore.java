package io.cdnodes.web.access;

import io.cdnodes.coordinator.access.ApiKeys;
import io.cdnodes.coordinator.access.Caller;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.util.Optional;
import java.util.Set;

/**
 * Checks {@link ApiKeyCredential}s against the admin key and the stored API keys; a valid key's caller is named
 * after the key and is in the group {@link Roles#ADMIN} or {@link Roles#USER}.
 */
@ApplicationScoped
public class ApiKeyIdentityStore implements IdentityStore {

    @EJB
    private ApiKeys keys;

    @Override
    public CredentialValidationResult validate(Credential credential) {
        if (!(credential instanceof ApiKeyCredential key)) {
            return CredentialValidationResult.NOT_VALIDATED_RESULT;
        }
        Optional<Caller> caller = keys.authenticate(key.key());
        return caller.map(c -> new CredentialValidationResult(c.name(), Set.of(c.admin() ? Roles.ADMIN : Roles.USER)))
                .orElse(CredentialValidationResult.INVALID_RESULT);
    }
}
