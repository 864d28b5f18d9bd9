package io.cdnodes.coordinator.access;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;

/**
 * An API key as stored: its name, its public lookup id, and a salted hash of its secret (see {@link KeySecrets});
 * never the key itself. A revoked key keeps its row, so that its name is never given to another key (which would
 * then see the evaluations the revoked one submitted).
 */
@Entity
@Table(name = "api_key", uniqueConstraints = @UniqueConstraint(name = "api_key_lookup", columnNames = "lookupId"))
public class ApiKey {

    @Id
    @Column(length = KeyNames.MAX_LENGTH)
    private String name;

    @Column(nullable = false, length = 2 * KeySecrets.ID_BYTES)
    private String lookupId;

    @Column(nullable = false, length = KeySecrets.SALT_BYTES)
    private byte[] salt;

    @Column(nullable = false, length = 32)
    private byte[] secretHash;

    @Column(nullable = false)
    private Instant createdAt;

    private Instant revokedAt;

    protected ApiKey() {
    }

    public ApiKey(String name, KeySecrets.Issued issued, Instant createdAt) {
        this.name = name;
        this.lookupId = issued.lookupId();
        this.salt = issued.salt().clone();
        this.secretHash = issued.hash().clone();
        this.createdAt = createdAt;
    }

    public String getName() {
        return name;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    /** Whether {@code presented} is this key and it is still valid. */
    public boolean accepts(KeySecrets.Presented presented) {
        return revokedAt == null && lookupId.equals(presented.lookupId())
                && KeySecrets.matches(salt, secretHash, presented.secret());
    }

    public void revoke(Instant at) {
        if (revokedAt == null) {
            revokedAt = at;
        }
    }
}
