package io.cdnodes.coordinator.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdnodes.coordinator.access.Caller;
import org.junit.jupiter.api.Test;

class QueueLimitTest {

    private final QueueLimit limit = new QueueLimit(3);
    private final Caller alice = Caller.namedKey("alice");

    @Test
    void aKeyMaySubmitUntilItHasTheCapUnfinished() {
        assertThatCode(() -> limit.check(alice, 0)).doesNotThrowAnyException();
        assertThatCode(() -> limit.check(alice, 2)).doesNotThrowAnyException();
        assertThatThrownBy(() -> limit.check(alice, 3)).isInstanceOf(QueueFullException.class)
                .hasMessageContaining("alice").hasMessageContaining("CDNODES_MAX_QUEUED_PER_KEY=3")
                .extracting(e -> ((QueueFullException) e).retryAfterSeconds()).isEqualTo(30);
        assertThatThrownBy(() -> limit.check(alice, 40)).isInstanceOf(QueueFullException.class);
    }

    @Test
    void theAdminKeyIsExempt() {
        assertThat(limit.applies(Caller.adminKey())).isFalse();
        assertThat(limit.applies(alice)).isTrue();
        assertThatCode(() -> limit.check(Caller.adminKey(), 1000)).doesNotThrowAnyException();
    }

    @Test
    void theCapIsPositive() {
        assertThatThrownBy(() -> new QueueLimit(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QueueLimit(1).check(alice, 1)).isInstanceOf(QueueFullException.class);
    }
}
