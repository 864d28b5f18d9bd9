package io.cdnodes.coordinator.workers;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.connector.api.Transport;
import io.cdnodes.connector.api.WorkerEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectedWorkersTest {

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    private static WorkerEvent.Connected connected(String id, String name, boolean sandboxed) {
        return new WorkerEvent.Connected(id, Transport.TCP, "127.0.0.1:7000", "10.0.0.5:4100" + id.length(), name, 4,
                "3.11.7", "9.0.3", List.of(), sandboxed);
    }

    @Test
    void workersAreListedLongestConnectedFirstWithTheirLastHeartbeatUntilTheyGo() {
        ConnectedWorkers workers = new ConnectedWorkers();
        workers.joined(connected("c2", "late", false), T0.plusSeconds(5));
        workers.joined(connected("c1", "early", true), T0);

        workers.heartbeat("c1", T0.plusSeconds(3));
        workers.heartbeat("c1", T0.plusSeconds(2)); // a late one does not go back in time
        workers.heartbeat("gone-already", T0);

        assertThat(workers.all()).containsExactly(
                new ConnectedWorkers.Node("c1", "10.0.0.5:41002", "early", 4, true, "3.11.7", "9.0.3", T0,
                        T0.plusSeconds(3), 0, false, null, null),
                new ConnectedWorkers.Node("c2", "10.0.0.5:41002", "late", 4, false, "3.11.7", "9.0.3",
                        T0.plusSeconds(5), T0.plusSeconds(5), 0, false, null, null));
        workers.gone("c1", T0.plusSeconds(9), "connection closed");
        assertThat(workers.all()).extracting(ConnectedWorkers.Node::name).containsExactly("late");
    }

    @Test
    void aWorkerShowsItsLoadAndDrainingAndIsKeptAWhileAfterItWent() {
        ConnectedWorkers workers = new ConnectedWorkers();
        workers.joined(connected("c1", "w1", true), T0);
        workers.joined(connected("c2", "w2", true), T0);
        workers.busy("c1", 3);
        workers.draining("c2");
        workers.busy("nobody", 1);
        assertThat(workers.all()).extracting(ConnectedWorkers.Node::busy, ConnectedWorkers.Node::draining)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3, false),
                        org.assertj.core.groups.Tuple.tuple(0, true));

        workers.gone("c1", T0.plusSeconds(60), "silent for 15000 ms");
        assertThat(workers.recentlyGone(T0.plusSeconds(61))).singleElement().satisfies(n -> {
            assertThat(n.name()).isEqualTo("w1");
            assertThat(n.goneAt()).isEqualTo(T0.plusSeconds(60));
            assertThat(n.goneReason()).isEqualTo("silent for 15000 ms");
            assertThat(n.busy()).isZero();
        });
        assertThat(workers.recentlyGone(T0.plusSeconds(60).plus(ConnectedWorkers.KEEP_GONE).plusSeconds(1)))
                .as("forgotten after a while").isEmpty();
        for (int i = 0; i < ConnectedWorkers.MAX_GONE + 5; i++) {
            workers.joined(connected("x" + i, "x" + i, true), T0);
            workers.gone("x" + i, T0.plusSeconds(100 + i), "closed");
        }
        assertThat(workers.recentlyGone(T0.plusSeconds(200))).hasSize(ConnectedWorkers.MAX_GONE)
                .first().extracting(ConnectedWorkers.Node::name).isEqualTo("x" + (ConnectedWorkers.MAX_GONE + 4));
    }
}
