package io.cdnodes.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static List<Long> delays(Backoff b, int n) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(b.next().toMillis());
        }
        return out;
    }

    @Test
    void withTheLargestDrawEachDelayDoublesUpToTheCap() {
        Backoff b = new Backoff(Duration.ofMillis(200), Duration.ofMillis(5000), () -> 1.0);

        assertThat(delays(b, 8)).containsExactly(200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L, 5000L);
    }

    @Test
    void withTheSmallestDrawEachDelayIsHalfItsStep() {
        Backoff b = new Backoff(Duration.ofMillis(200), Duration.ofMillis(5000), () -> 0.0);

        assertThat(delays(b, 7)).containsExactly(100L, 200L, 400L, 800L, 1600L, 2500L, 2500L);
    }

    @Test
    void theJitterIsUniformBetweenHalfAndTheWholeStep() {
        double[] draws = {0.25, 0.5, 0.75};
        int[] i = {0};
        Backoff b = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(60_000), () -> draws[i[0]++ % 3]);

        assertThat(delays(b, 3)).containsExactly(625L, 1500L, 3500L);
    }

    @Test
    void resetStartsAgainFromTheShortestDelay() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(10_000), () -> 1.0);
        delays(b, 5);

        b.reset();

        assertThat(delays(b, 3)).containsExactly(100L, 200L, 400L);
    }

    @Test
    void manyFailuresStayAtTheCapWithoutOverflowing() {
        Backoff b = new Backoff(Duration.ofMillis(200), Duration.ofMillis(5000), () -> 1.0);

        List<Long> d = delays(b, 100);

        assertThat(d.subList(5, 100)).containsOnly(5000L);
    }

    @Test
    void aDelayIsNeverZero() {
        Backoff b = new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), () -> 0.0);

        assertThat(b.next()).isEqualTo(Duration.ofMillis(1));
    }
}
