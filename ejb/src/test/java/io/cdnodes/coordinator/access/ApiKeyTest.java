package io.cdnodes.coordinator.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ApiKeyTest {

    private final SecureRandom random = new SecureRandom();
    private final KeySecrets.Issued issued = KeySecrets.issue(random);
    private final ApiKey row = new ApiKey("alice", issued, Instant.parse("2025-01-01T00:00:00Z"));

    @Test
    void acceptsItsOwnKeyUntilRevoked() {
        KeySecrets.Presented own = KeySecrets.parse(issued.text()).orElseThrow();

        assertThat(row.accepts(own)).isTrue();
        row.revoke(Instant.parse("2025-01-02T00:00:00Z"));
        assertThat(row.isRevoked()).isTrue();
        assertThat(row.accepts(own)).isFalse();
    }

    @Test
    void refusesAnotherKeyAndItsOwnIdWithAnotherSecret() {
        KeySecrets.Issued other = KeySecrets.issue(random);
        KeySecrets.Presented otherKey = KeySecrets.parse(other.text()).orElseThrow();
        KeySecrets.Presented ownIdOtherSecret = new KeySecrets.Presented(issued.lookupId(), otherKey.secret());

        assertThat(row.accepts(otherKey)).isFalse();
        assertThat(row.accepts(ownIdOtherSecret)).isFalse();
    }

    @Test
    void theRowKeepsACopyOfWhatItWasGiven() {
        issued.hash()[0] ^= 1;
        assertThat(row.accepts(KeySecrets.parse(issued.text()).orElseThrow())).isTrue();
    }
}
