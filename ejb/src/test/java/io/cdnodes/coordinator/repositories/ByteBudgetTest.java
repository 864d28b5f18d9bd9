package io.cdnodes.coordinator.repositories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The running count: shared by every stream of one fetch, failing the read that passes the limit. */
class ByteBudgetTest {

    @Test
    void readsAreCountedOverEveryStreamAndTheOneThatPassesTheLimitFails() throws Exception {
        ByteBudget budget = new ByteBudget(10);
        try (InputStream a = budget.counted(new ByteArrayInputStream(new byte[6]));
             InputStream b = budget.counted(new ByteArrayInputStream(new byte[6]))) {
            assertThat(a.readAllBytes()).hasSize(6);
            assertThat(b.read()).isZero();
            assertThat(b.skip(3)).isEqualTo(3);
            assertThat(budget.received()).isEqualTo(10);
            assertThatThrownBy(b::read).isInstanceOf(ByteBudget.Exceeded.class).hasMessage("more than 10 bytes received");
        }
    }

    @Test
    void theEndOfAStreamCostsNothing() throws Exception {
        ByteBudget budget = new ByteBudget(3);
        try (InputStream in = budget.counted(new ByteArrayInputStream(new byte[3]))) {
            assertThat(in.read(new byte[8], 0, 8)).isEqualTo(3);
            assertThat(in.read(new byte[8], 0, 8)).isEqualTo(-1);
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(budget.received()).isEqualTo(3);
    }
}
