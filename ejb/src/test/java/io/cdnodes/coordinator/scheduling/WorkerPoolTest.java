package io.cdnodes.coordinator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.scheduling.WorkerPool.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final WorkerPool pool = new WorkerPool(new Journal());

    @Test
    void addedWorkerCarriesWhatItSaidWhenConnecting() {
        Worker w = pool.add(new WorkerJoined("c1", "w1", "10.0.0.5:41000", "127.0.0.1:7000", 3, List.of("p1", "p2")), T0);

        assertThat(w.connectionId()).isEqualTo("c1");
        assertThat(w.name()).isEqualTo("w1");
        assertThat(w.localAddress()).isEqualTo("127.0.0.1:7000");
        assertThat(w.remoteAddress()).isEqualTo("10.0.0.5:41000");
        assertThat(w.slots()).isEqualTo(3);
        assertThat(w.freeSlots()).isEqualTo(3);
        assertThat(w.lastSeen()).isEqualTo(T0);
        assertThat(w.draining()).isFalse();
        assertThat(w.holds("p1")).isTrue();
        assertThat(w.holds("p3")).isFalse();
        assertThat(pool.get("c1")).containsSame(w);
        assertThat(pool.size()).isEqualTo(1);
    }

    @Test
    void aWorkerHasAtLeastOneSlot() {
        assertThat(pool.add(connected("c1", "w1", 0), T0).slots()).isEqualTo(1);
        assertThat(pool.add(connected("c2", "w2", -4), T0).slots()).isEqualTo(1);
    }

    @Test
    void freeSlotsCountRunningTasksAndDrainingLeavesNone() {
        Worker w = pool.add(connected("c1", "w1", 2), T0);

        w.assign(7L, 1);
        assertThat(w.freeSlots()).isEqualTo(1);
        w.assign(8L, 1);
        w.assign(9L, 2);
        assertThat(w.freeSlots()).isZero();
        assertThat(w.running()).containsExactlyInAnyOrder(7L, 8L, 9L);
        w.finish(7L, 1);
        w.finish(8L, 1);
        w.finish(9L, 2);
        assertThat(w.freeSlots()).isEqualTo(2);
        w.drain();
        assertThat(w.freeSlots()).isZero();
        assertThat(w.draining()).isTrue();
    }

    @Test
    void framesNamingAnAssignmentCountOnlyFromTheConnectionAndAttemptItWasHandedTo() {
        Worker holder = pool.add(connected("c1", "w1", 2), T0);
        Worker other = pool.add(connected("c2", "w2", 2), T0);
        holder.assign(7L, 2);

        assertThat(holder.isAssigned(7L, 2)).isTrue();
        assertThat(holder.isAssigned(7L, 1)).as("an older attempt").isFalse();
        assertThat(holder.isAssigned(7L, 3)).as("a later attempt").isFalse();
        assertThat(holder.isAssigned(8L, 2)).as("another task").isFalse();
        assertThat(other.isAssigned(7L, 2)).as("another connection").isFalse();

        assertThat(other.finish(7L, 2)).as("another connection frees nothing").isFalse();
        assertThat(holder.finish(7L, 1)).as("nor does another attempt").isFalse();
        assertThat(holder.freeSlots()).isEqualTo(1);
        assertThat(holder.finish(7L, 2)).isTrue();
        assertThat(holder.freeSlots()).isEqualTo(2);
        assertThat(holder.isAssigned(7L, 2)).as("finished").isFalse();
        assertThat(holder.finish(7L, 2)).as("finished once").isFalse();
    }

    @Test
    void runningIsAViewTheDispatcherCannotChangeByMistake() {
        Worker w = pool.add(connected("c1", "w1", 2), T0);
        w.assign(7L, 1);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.running().remove(7L))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void packagesAreRememberedAndForgotten() {
        Worker w = pool.add(connected("c1", "w1", 1), T0);

        w.holdsNow("p9");
        assertThat(w.holds("p9")).isTrue();
        w.forget("p9");
        assertThat(w.holds("p9")).isFalse();
    }

    @Test
    void removeAndGet() {
        pool.add(connected("c1", "w1", 1), T0);

        assertThat(pool.remove("c1")).isPresent();
        assertThat(pool.remove("c1")).isEmpty();
        assertThat(pool.get("c1")).isEmpty();
        assertThat(pool.size()).isZero();
    }

    @Test
    void reconnectingUnderTheSameConnectionIdReplacesTheWorker() {
        pool.add(connected("c1", "old", 1), T0);
        Worker w = pool.add(connected("c1", "new", 2), T0.plusSeconds(1));

        assertThat(pool.size()).isEqualTo(1);
        assertThat(pool.get("c1")).containsSame(w);
    }

    @Test
    void touchMovesLastSeenForwardOnly() {
        pool.add(connected("c1", "w1", 1), T0);

        pool.touch("c1", T0.plusSeconds(3));
        pool.touch("c1", T0.plusSeconds(1));
        pool.touch("unknown", T0.plusSeconds(9));

        assertThat(pool.get("c1").orElseThrow().lastSeen()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void silentWorkersAreThoseNotHeardFromForTheTimeout() {
        pool.add(connected("c1", "w1", 1), T0);
        pool.add(connected("c2", "w2", 1), T0);
        pool.add(connected("c3", "w3", 1), T0);
        pool.touch("c2", T0.plusMillis(1));
        pool.touch("c3", T0.plusSeconds(4));

        assertThat(pool.silent(T0.plusSeconds(5), TIMEOUT)).containsExactly("c1");
        assertThat(pool.silent(T0.plusMillis(4999), TIMEOUT)).isEmpty();
        assertThat(pool.silent(T0.plusSeconds(9), TIMEOUT)).containsExactly("c1", "c2", "c3");
    }

    @Test
    void activeNamesAreDistinctInConnectOrderWithoutDrainingWorkers() {
        pool.add(connected("c1", "b", 1), T0);
        pool.add(connected("c2", "a", 1), T0);
        pool.add(connected("c3", "b", 1), T0);
        pool.add(connected("c4", "d", 1), T0).drain();

        assertThat(pool.activeNames()).containsExactly("b", "a");
        assertThat(pool.isConnected("d")).isTrue();
        assertThat(pool.isConnected("x")).isFalse();
        assertThat(pool.all()).extracting(Worker::connectionId).containsExactly("c1", "c2", "c3", "c4");
    }

    @Test
    void rotationStartsOneFurtherEachRound() {
        pool.add(connected("c1", "w1", 1), T0);
        pool.add(connected("c2", "w2", 1), T0);
        pool.add(connected("c3", "w3", 1), T0);

        assertThat(ids(pool.rotation())).containsExactly("c1", "c2", "c3");
        assertThat(ids(pool.rotation())).containsExactly("c2", "c3", "c1");
        assertThat(ids(pool.rotation())).containsExactly("c3", "c1", "c2");
        assertThat(ids(pool.rotation())).containsExactly("c1", "c2", "c3");
        pool.remove("c2");
        assertThat(ids(pool.rotation())).containsExactly("c1", "c3");
    }

    @Test
    void rotationOfNoWorkersIsEmpty() {
        assertThat(pool.rotation()).isEmpty();
        assertThat(pool.silent(T0, TIMEOUT)).isEmpty();
        assertThat(pool.activeNames()).isEmpty();
    }

    @Test
    void allIsASnapshot() {
        pool.add(connected("c1", "w1", 1), T0);
        List<Worker> all = pool.all();
        pool.add(connected("c2", "w2", 1), T0);

        assertThat(all).hasSize(1);
    }

    @Test
    void availabilityNamesAndSlotsLeaveDrainingWorkersOut() {
        pool.add(connected("c1", "w1", 2), T0);
        Worker w2 = pool.add(connected("c2", "w2", 3), T0);
        w2.drain();
        assertThat(pool.isAvailable("w1")).isTrue();
        assertThat(pool.isAvailable("w2")).isFalse();
        assertThat(pool.isConnected("w2")).isTrue();
        assertThat(pool.isAvailable("w3")).isFalse();
        assertThat(pool.activeSlots()).isEqualTo(2);
        assertThat(pool.byName("w2")).containsSame(w2);
        assertThat(pool.byName("w3")).isEmpty();
        Worker again = pool.add(connected("c3", "w1", 1), T0);
        assertThat(pool.byName("w1")).containsSame(again);
    }

    private static WorkerJoined connected(String id, String name, int slots) {
        return new WorkerJoined(id, name, "unix:pid=" + id, "unix:/tmp/cdproto.sock", slots, List.of());
    }

    private static List<String> ids(List<Worker> workers) {
        return workers.stream().map(Worker::connectionId).toList();
    }
}
