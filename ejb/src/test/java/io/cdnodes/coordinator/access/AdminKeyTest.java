package io.cdnodes.coordinator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class AdminKeyTest {

    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private final SecureRandom random = new SecureRandom();

    @Test
    void onlyTheSameTextMatches() {
        AdminKey admin = AdminKey.of(KEY, random);

        assertThat(admin.matches(KEY)).isTrue();
        assertThat(admin.matches(KEY.substring(1))).isFalse();
        assertThat(admin.matches(KEY + "0")).isFalse();
        assertThat(admin.matches(KEY.toUpperCase())).isFalse();
        assertThat(admin.matches("")).isFalse();
        assertThat(admin.matches(null)).isFalse();
    }

    @Test
    void twoLoadsOfTheSameKeyAreSaltedDifferentlyYetBothMatch() {
        assertThat(AdminKey.of(KEY, random).matches(KEY)).isTrue();
        assertThat(AdminKey.of(KEY, random).matches(KEY)).isTrue();
    }

    @Test
    void aShortOrUnprintableKeyIsRefused() {
        assertThatThrownBy(() -> AdminKey.of("x".repeat(AdminKey.MIN_LENGTH - 1), random))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 24");
        assertThat(AdminKey.of("x".repeat(AdminKey.MIN_LENGTH), random).matches("x".repeat(AdminKey.MIN_LENGTH))).isTrue();
        for (String bad : new String[] {KEY + " x", KEY + "\t", KEY + "é", KEY + "\n"}) {
            assertThatThrownBy(() -> AdminKey.of(bad, random)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("visible ASCII");
        }
    }

    @Test
    void printingItShowsNothingOfTheKey() {
        assertThat(AdminKey.of(KEY, random).toString()).doesNotContain("0123");
    }
}
