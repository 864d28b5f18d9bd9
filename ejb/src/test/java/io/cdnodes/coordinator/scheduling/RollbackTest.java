package io.cdnodes.coordinator.scheduling;

import static io.cdnodes.coordinator.scheduling.Core.DYNAMIC;
import static io.cdnodes.coordinator.scheduling.Core.nodes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdnodes.coordinator.results.TestOutcome;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A write that fails leaves the scheduler's memory exactly as it was before the event, and nothing is sent: each
 * step of a scenario fails once on one scheduler and is skipped on a twin scheduler; both must then be equal, and
 * after the step is retried on both, they must stay equal to the end.
 */
class RollbackTest {

    private static Decisions.Assign last(Core c, String conn) {
        List<Decisions.Assign> a = c.assigns(conn);
        return a.get(a.size() - 1);
    }

    /** Each step is one event of the scheduler. */
    private static final List<Consumer<Core>> STEPS = List.of(
            c -> c.join("c1", 1),
            c -> c.join("c2", 2),
            c -> c.submit(1, DYNAMIC, "blind"),
            c -> {
                c.history("known", nodes("k.py", 30), 3.0);
                c.submit(2, DYNAMIC, "known");
            },
            Core::round,
            c -> c.scheduler.collected("c1", new CollectionReport(last(c, "c1").taskId(), 1, nodes("b.py", 40))),
            c -> c.done(last(c, "c1"), 0),
            c -> c.scheduler.collected("c2", new CollectionReport(last(c, "c2").taskId(), 1, nodes("k.py", 30))),
            c -> c.done(last(c, "c2"), 0),
            Core::round,
            c -> last(c, "c1").nodeIds().forEach(n -> c.result(last(c, "c1"), n, TestOutcome.PASSED, 0.01)),
            Core::flush,
            c -> c.started(last(c, "c2"), last(c, "c2").nodeIds().get(0)),
            c -> c.later(2),
            Core::round,
            c -> c.lose("c2"),
            Core::round,
            c -> c.done(last(c, "c1"), 1),
            Core::round,
            c -> c.apply(c.scheduler.cancel(2, List.of(), c.now)),
            Core::round);

    @Test
    void aFailedWriteLeavesMemoryAsItWasAndSendsNothing() {
        for (int k = 0; k < STEPS.size(); k++) {
            Core failing = new Core();
            Core twin = new Core();
            for (int i = 0; i < k; i++) {
                STEPS.get(i).accept(failing);
                STEPS.get(i).accept(twin);
            }
            failing.store.failNextWrite = true;
            int sent = failing.sent.size();
            boolean failed;
            try {
                STEPS.get(k).accept(failing);
                failed = false;
            } catch (IllegalStateException e) {
                failed = true;
            }
            if (failed) {
                assertThat(failing.sent).as("step %d sent", k).hasSize(sent);
                // a step may record intake in the store before its event: the store is compared at the end
                assertThat(failing.sent).as("after step %d failed", k).isEqualTo(twin.sent);
                assertThat(failing.scheduler).as("after step %d failed", k).usingRecursiveComparison()
                        .ignoringFieldsOfTypes(FakeStore.class).isEqualTo(twin.scheduler);
                STEPS.get(k).accept(failing);
            } else {
                failing.store.failNextWrite = false;
            }
            STEPS.get(k).accept(twin);
            for (int i = k + 1; i < STEPS.size(); i++) {
                STEPS.get(i).accept(failing);
                STEPS.get(i).accept(twin);
            }
            assertSame(failing, twin, "at the end, step " + k + " having failed once");
        }
    }

    @Test
    void theScenarioWritesInMostOfItsSteps() {
        Core c = new Core();
        int writes = 0;
        for (Consumer<Core> step : STEPS) {
            c.store.failNextWrite = true;
            try {
                step.accept(c);
            } catch (IllegalStateException e) {
                writes++;
                step.accept(c);
            }
            c.store.failNextWrite = false;
        }
        assertThat(writes).isGreaterThanOrEqualTo(10);
    }

    @Test
    void anEventAfterOneLeftUndecidedIsRefused() {
        Core c = new Core();
        c.store.evaluation(7, DYNAMIC, "p");
        c.scheduler.submitted(7);

        assertThatThrownBy(() -> c.scheduler.dispatch(List.of(), c.now)).isInstanceOf(IllegalStateException.class);
    }

    private static void assertSame(Core a, Core b, String when) {
        assertThat(a.sent).as(when).isEqualTo(b.sent);
        assertThat(a.scheduler).as(when).usingRecursiveComparison().isEqualTo(b.scheduler);
    }
}
