package io.cdnodes.coordinator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"alice", "Bob-2", "ci_runner.main", "a", "x.", ".hidden", "0", "ADMINS", "admin2"})
    void safeNamesAreAccepted(String name) {
        assertThat(KeyNames.check(name)).isEqualTo(name);
    }

    @Test
    void sixtyFourCharactersAtMost() {
        assertThat(KeyNames.check("a".repeat(64))).hasSize(64);
        assertThatThrownBy(() -> KeyNames.check("a".repeat(65))).isInstanceOf(ApiKeyException.class)
                .extracting(e -> ((ApiKeyException) e).kind()).isEqualTo(ApiKeyException.Kind.BAD_NAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a b", "a/b", "a\\b", "..", ".", "...", "älice", "a:b", "a%2fb", "alice\n",
            "<script>", "a\u0000"})
    void unsafeNamesAreRefused(String name) {
        assertThatThrownBy(() -> KeyNames.check(name)).isInstanceOf(ApiKeyException.class)
                .extracting(e -> ((ApiKeyException) e).kind()).isEqualTo(ApiKeyException.Kind.BAD_NAME);
    }

    @Test
    void noNameIsRefused() {
        assertThatThrownBy(() -> KeyNames.check(null)).isInstanceOf(ApiKeyException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin", "Admin", "ADMIN"})
    void theAdminKeysNameIsTaken(String name) {
        assertThatThrownBy(() -> KeyNames.check(name)).isInstanceOf(ApiKeyException.class)
                .hasMessageContaining("admin key")
                .extracting(e -> ((ApiKeyException) e).kind()).isEqualTo(ApiKeyException.Kind.NAME_TAKEN);
    }
}
