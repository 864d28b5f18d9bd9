package io.cdnodes.coordinator.access;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * API keys: authenticating a presented key, and the admin's operations (make, list, revoke). A key's text exists
 * only in the answer that makes it; what is stored is described in {@link KeySecrets}.
 */
@Stateless
public class ApiKeys {

    private static final System.Logger LOG = System.getLogger(ApiKeys.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    @PersistenceContext(unitName = "cdnodes")
    private EntityManager em;

    @EJB
    private AdminKeyLoader admin;

    @Inject
    private Clock clock;

    @Inject
    private KeyRevocations revocations;

    @Resource
    private TransactionSynchronizationRegistry txRegistry;

    /** A key just made: the only time its text is given out. {@link #toString()} leaves it out. */
    public record Created(String name, String key) {
        @Override
        public String toString() {
            return "Created[name=" + name + "]";
        }
    }

    /** A key as listed: its name and when it was made, nothing secret. */
    @JsonbPropertyOrder({"name", "createdAt"})
    public record Listed(String name, @JsonbProperty("created_at") String createdAt) {
    }

    /** Who {@code presented} (an {@code Authorization: Bearer} value) is; empty when it is no valid key. */
    public Optional<Caller> authenticate(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        if (admin.adminKey().matches(presented)) {
            return Optional.of(Caller.adminKey());
        }
        return KeySecrets.parse(presented).flatMap(p -> em.createQuery(
                        "select k from ApiKey k where k.lookupId = :id", ApiKey.class)
                .setParameter("id", p.lookupId()).getResultStream().findFirst()
                .filter(k -> k.accepts(p))
                .map(k -> Caller.namedKey(k.getName())));
    }

    /**
     * Whether the caller's key is still valid, for whatever holds it beyond one request: the admin key is until the
     * coordinator stops (it is changed only with a restart); another key until it is revoked. A look-up by name.
     */
    public boolean stillValid(Caller caller) {
        if (caller.admin()) {
            return true;
        }
        ApiKey k = em.find(ApiKey.class, caller.name());
        return k != null && !k.isRevoked();
    }

    /**
     * Makes a key named {@code name}.
     *
     * @throws ApiKeyException when the name is not acceptable or taken (also by a revoked key)
     */
    public Created create(String name) {
        KeyNames.check(name);
        if (em.find(ApiKey.class, name) != null) {
            throw new ApiKeyException(ApiKeyException.Kind.NAME_TAKEN, "a key named '" + name + "' exists or "
                    + "existed; names are never reused, so that a new key never sees another's evaluations");
        }
        KeySecrets.Issued issued = KeySecrets.issue(RANDOM);
        try {
            em.persist(new ApiKey(name, issued, clock.instant()));
            em.flush();
        } catch (PersistenceException e) {
            // made at the same moment by another request
            throw new ApiKeyException(ApiKeyException.Kind.NAME_TAKEN, "a key named '" + name + "' exists");
        }
        LOG.log(System.Logger.Level.INFO, "api key {0} made (id {1})", name, issued.lookupId());
        return new Created(name, issued.text());
    }

    /** The keys that are not revoked, by name. */
    public List<Listed> list() {
        return em.createQuery("select k from ApiKey k where k.revokedAt is null order by k.name", ApiKey.class)
                .getResultStream().map(k -> new Listed(k.getName(), k.getCreatedAt().toString())).toList();
    }

    /**
     * Revokes the key named {@code name}: from now on it is refused, and its open event streams end (see
     * {@link KeyRevocations}). Its evaluations stay, seen by the admin key.
     *
     * @throws ApiKeyException when there is no such key (or it is revoked already), or it is the admin key
     */
    public void revoke(String name) {
        if (Caller.ADMIN_NAME.equals(name)) {
            throw new ApiKeyException(ApiKeyException.Kind.ADMIN_KEY, "the admin key comes from "
                    + AdminKeyLoader.VARIABLE + " or the data folder's " + AdminKeyFile.NAME
                    + "; change it there and restart the coordinator");
        }
        ApiKey k = name == null ? null : em.find(ApiKey.class, name);
        if (k == null || k.isRevoked()) {
            throw new ApiKeyException(ApiKeyException.Kind.NOT_FOUND, "no API key named '" + name + "'");
        }
        k.revoke(clock.instant());
        txRegistry.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
                // counted once it holds: a stream looking the key up before the commit would still find it valid
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    revocations.committed();
                }
            }
        });
        LOG.log(System.Logger.Level.INFO, "api key {0} revoked", name);
    }
}
