package io.cdnodes.coordinator.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdnodes.coordinator.evaluation.EvaluationStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

    private static final Instant NOW = Instant.parse("2025-06-30T12:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final RetentionPolicy thirtyDays = new RetentionPolicy(Optional.of(Duration.ofDays(30)), clock);
    private final RetentionPolicy off = new RetentionPolicy(Optional.empty(), clock);

    @Test
    void finishedEvaluationsOlderThanTheRetentionExpire() {
        Instant old = NOW.minus(Duration.ofDays(30)).minusSeconds(1);
        for (EvaluationStatus s : new EvaluationStatus[] {EvaluationStatus.DONE, EvaluationStatus.FAILED,
                EvaluationStatus.CANCELLED}) {
            assertThat(thirtyDays.expired(s, old)).as(s.name()).isTrue();
        }
        assertThat(thirtyDays.cutoff()).contains(NOW.minus(Duration.ofDays(30)));
    }

    @Test
    void youngerOnesAndThoseFinishingExactlyAtTheCutoffStay() {
        assertThat(thirtyDays.expired(EvaluationStatus.DONE, NOW.minus(Duration.ofDays(30)))).isFalse();
        assertThat(thirtyDays.expired(EvaluationStatus.DONE, NOW.minus(Duration.ofDays(29)))).isFalse();
        assertThat(thirtyDays.expired(EvaluationStatus.DONE, NOW)).isFalse();
    }

    @Test
    void unfinishedEvaluationsNeverExpireHoweverOld() {
        Instant ancient = NOW.minus(Duration.ofDays(3650));
        assertThat(thirtyDays.expired(EvaluationStatus.QUEUED, ancient)).isFalse();
        assertThat(thirtyDays.expired(EvaluationStatus.RUNNING, ancient)).isFalse();
        assertThat(thirtyDays.expired(EvaluationStatus.DONE, null)).isFalse();
    }

    @Test
    void offKeepsEverything() {
        assertThat(off.enabled()).isFalse();
        assertThat(off.cutoff()).isEmpty();
        assertThat(off.expired(EvaluationStatus.DONE, NOW.minus(Duration.ofDays(3650)))).isFalse();
        assertThat(off.packageDeletable(false, NOW.minus(Duration.ofDays(3650)))).isFalse();
    }

    @Test
    void aPackageGoesOnlyWhenNothingUsesItAndItWasNotStoredRecently() {
        Instant longAgo = NOW.minus(Duration.ofDays(40));
        assertThat(thirtyDays.packageDeletable(false, longAgo)).isTrue();
        assertThat(thirtyDays.packageDeletable(true, longAgo)).as("another evaluation still uses it").isFalse();
        assertThat(thirtyDays.packageDeletable(false, NOW.minus(Duration.ofMinutes(59))))
                .as("just stored or reused by a submission not yet committed").isFalse();
        assertThat(thirtyDays.packageDeletable(false, NOW.minus(RetentionPolicy.PACKAGE_GRACE).minusSeconds(1)))
                .isTrue();
        assertThat(thirtyDays.packageUnusedSince()).isEqualTo(NOW.minus(RetentionPolicy.PACKAGE_GRACE));
    }

    @Test
    void theCutoffMovesWithTheClock() {
        Clock later = Clock.offset(clock, Duration.ofDays(2));
        RetentionPolicy p = new RetentionPolicy(Optional.of(Duration.ofDays(30)), later);
        Instant finished = NOW.minus(Duration.ofDays(29));
        assertThat(thirtyDays.expired(EvaluationStatus.DONE, finished)).isFalse();
        assertThat(p.expired(EvaluationStatus.DONE, finished)).isTrue();
    }

    @Test
    void aRetentionIsPositive() {
        assertThatThrownBy(() -> new RetentionPolicy(Optional.of(Duration.ZERO), clock))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
