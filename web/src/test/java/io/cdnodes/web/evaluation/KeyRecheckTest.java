package io.cdnodes.web.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class KeyRecheckTest {

    private Instant now = Instant.parse("2025-06-01T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final KeyRecheck recheck = new KeyRecheck(clock);

    @Test
    void theKeyIsLookedUpAtTheStreamsFirstTurn() {
        assertThat(recheck.due(0)).isTrue();
        assertThat(recheck.due(7)).isTrue();
    }

    @Test
    void thenAtOnceAfterARevocationHere() {
        recheck.stillValid(3);
        assertThat(recheck.due(3)).isFalse();

        assertThat(recheck.due(4)).isTrue();
        recheck.stillValid(4); // another key was revoked
        assertThat(recheck.due(4)).isFalse();
    }

    @Test
    void andEveryThirtySecondsInAnyCase() {
        recheck.stillValid(0);
        now = now.plus(KeyRecheck.EVERY).minusMillis(1);
        assertThat(recheck.due(0)).isFalse();
        now = now.plusMillis(1);
        assertThat(recheck.due(0)).isTrue();

        recheck.stillValid(0);
        assertThat(recheck.due(0)).isFalse();
        assertThat(KeyRecheck.EVERY).isEqualTo(Duration.ofSeconds(30));
    }
}
