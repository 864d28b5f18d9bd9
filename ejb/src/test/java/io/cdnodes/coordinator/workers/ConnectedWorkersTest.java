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
                        T0.plusSeconds(3)),
                new ConnectedWorkers.Node("c2", "10.0.0.5:41002", "late", 4, false, "3.11.7", "9.0.3",
                        T0.plusSeconds(5), T0.plusSeconds(5)));
        workers.gone("c1");
        assertThat(workers.all()).extracting(ConnectedWorkers.Node::name).containsExactly("late");
    }
}
