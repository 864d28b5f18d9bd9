package io.cdnodes.coordinator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OwnershipTest {

    private final Caller admin = Caller.adminKey();
    private final Caller alice = Caller.namedKey("alice");
    private final Caller bob = Caller.namedKey("bob");

    @Test
    void aKeySeesOnlyWhatItSubmitted() {
        assertThat(Ownership.sees(alice, "alice")).isTrue();
        assertThat(Ownership.sees(alice, "bob")).isFalse();
        assertThat(Ownership.sees(bob, "alice")).isFalse();
        assertThat(Ownership.sees(alice, "Alice")).isFalse();
        assertThat(Ownership.sees(alice, "admin")).isFalse();
    }

    @Test
    void evaluationsWithoutAnOwnerAreTheAdminKeysAlone() {
        assertThat(Ownership.sees(alice, null)).isFalse();
        assertThat(Ownership.sees(admin, null)).isTrue();
    }

    @Test
    void theAdminKeySeesEverything() {
        assertThat(Ownership.sees(admin, "alice")).isTrue();
        assertThat(Ownership.sees(admin, "admin")).isTrue();
    }

    @Test
    void listingsAreFilteredByTheCallersNameExceptForTheAdminKey() {
        assertThat(Ownership.listedOwner(alice)).contains("alice");
        assertThat(Ownership.listedOwner(admin)).isEmpty();
    }

    @Test
    void newEvaluationsBelongToTheKeyThatSubmitsThem() {
        assertThat(Ownership.ownerOfNew(alice)).isEqualTo("alice");
        assertThat(Ownership.ownerOfNew(admin)).isEqualTo("admin");
    }

    @Test
    void onlyTheAdminKeyIsCalledAdmin() {
        assertThat(admin.admin()).isTrue();
        assertThat(alice.admin()).isFalse();
        assertThatThrownBy(() -> Caller.namedKey("admin")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Caller("alice", true)).isInstanceOf(IllegalArgumentException.class);
    }
}
