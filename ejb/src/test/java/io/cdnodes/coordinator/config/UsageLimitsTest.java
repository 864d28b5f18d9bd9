package io.cdnodes.coordinator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsageLimitsTest {

    @Test
    void defaults() {
        UsageLimits l = UsageLimits.from(k -> null);

        assertThat(l.maxQueuedPerKey()).isEqualTo(50);
        assertThat(l.retention()).isEmpty();
        assertThat(UsageLimits.from(k -> "  ")).isEqualTo(l);
    }

    @Test
    void theQueueCapIsAPositiveNumber() {
        assertThat(UsageLimits.from(Map.of("CDNODES_MAX_QUEUED_PER_KEY", " 7 ")::get).maxQueuedPerKey()).isEqualTo(7);
        for (String bad : new String[] {"0", "-1", "x", "1.5", "1000001"}) {
            assertThatThrownBy(() -> UsageLimits.from(Map.of("CDNODES_MAX_QUEUED_PER_KEY", bad)::get))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CDNODES_MAX_QUEUED_PER_KEY");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"off", "OFF", " Off "})
    void retentionIsOffUnlessANumberOfDaysIsGiven(String off) {
        assertThat(UsageLimits.from(Map.of("CDNODES_RETENTION_DAYS", off)::get).retention()).isEmpty();
        assertThat(UsageLimits.from(Map.of("CDNODES_RETENTION_DAYS", "30")::get).retention())
                .contains(Duration.ofDays(30));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-3", "seven", "2.5", "36501"})
    void aRetentionThatIsNoNumberOfDaysIsRefused(String bad) {
        assertThatThrownBy(() -> UsageLimits.from(Map.of("CDNODES_RETENTION_DAYS", bad)::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CDNODES_RETENTION_DAYS");
    }
}
