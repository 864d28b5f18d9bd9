package io.cdnodes.coordinator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageLimitsTest {

    @Test
    void defaults() {
        UsageLimits l = UsageLimits.from(k -> null);

        assertThat(l.maxQueuedPerKey()).isEqualTo(50);
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
}
