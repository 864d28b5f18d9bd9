package io.cdnodes.connector.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.connector.api.Transport;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import java.net.Socket;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionRegistryTest {

    private final ConnectionRegistry registry = new ConnectionRegistry();

    @Test
    void idsAreUniqueAndShareThisRegistrysPrefix() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(registry.nextId());
        }

        assertThat(ids).hasSize(1000);
        String first = registry.nextId();
        assertThat(first).matches("c[0-9a-z]+-1001");
        assertThat(ids).allMatch(id -> id.startsWith(first.substring(0, first.indexOf('-') + 1)));
    }

    @Test
    void aConnectionStillInItsHandshakeCountsButIsNotEstablished() {
        WorkerConnection c = new WorkerConnection("c-1", new Socket(), Transport.TCP, "127.0.0.1:7000",
                Admission.Peer.tcp("127.0.0.1:5", "127.0.0.1"),
                ConnectorSettings.fromEnvironment(Map.of("CDNODES_WORKER_TOKEN", "t")), null, registry, e -> { });

        registry.add(c);

        assertThat(registry.size()).isEqualTo(1);
        assertThat(registry.any("c-1")).containsSame(c);
        assertThat(registry.established("c-1")).isEmpty();
        assertThat(registry.establishedInfo()).isEmpty();
        registry.remove("c-1");
        assertThat(registry.size()).isZero();
        assertThat(registry.any("c-1")).isEmpty();
    }

    @Test
    void theLoadCountsWorkersHandshakesAndConnectionsFromTheHost() {
        registry.add(connection("c-1", "10.0.0.5"));
        registry.add(connection("c-2", "10.0.0.5"));
        registry.add(connection("c-3", "10.0.0.6"));
        registry.add(new WorkerConnection("c-4", new Socket(), Transport.UNIX, "unix:/s", Admission.Peer.unix("unix:pid=1",
                0), ConnectorSettings.fromEnvironment(Map.of("CDNODES_WORKER_TOKEN", "t")), null, registry, e -> { }));

        assertThat(registry.load("10.0.0.5")).as("a Unix-socket handshake is not TCP's to count")
                .isEqualTo(new Admission.Load(0, 3, 2));
        assertThat(registry.load("10.0.0.6")).isEqualTo(new Admission.Load(0, 3, 1));
        assertThat(registry.load("10.0.0.7")).isEqualTo(new Admission.Load(0, 3, 0));
        assertThat(registry.load(null)).isEqualTo(new Admission.Load(0, 3, 0));
        registry.remove("c-1");
        assertThat(registry.load("10.0.0.5")).isEqualTo(new Admission.Load(0, 2, 1));
    }

    @Test
    void aNameIsClaimedOnlyWhileFewerWorkersThanTheCapAreConnected() {
        assertThat(registry.claim("w1", "c-1", 2)).isEmpty();
        assertThat(registry.claim("w1", "c-2", 2)).map(ErrorFrame::code).contains(ErrorCode.NAME_IN_USE);
        assertThat(registry.claim("w2", "c-2", 2)).isEmpty();
        assertThat(registry.claim("w3", "c-3", 2)).contains(new ErrorFrame(ErrorCode.TOO_MANY_CONNECTIONS,
                "the coordinator has 2 workers connected already (CDNODES_MAX_CONNECTIONS)"));
        assertThat(registry.claim("w1", "c-1", 2)).as("claimed again by its holder").isEmpty();

        registry.remove("c-1");
        assertThat(registry.claim("w3", "c-3", 2)).isEmpty();
    }

    @Test
    void aNameIsHeldByOneConnectionUntilItIsReleasedOrRemoved() {
        assertThat(registry.claimName("w1", "c-1")).isEmpty();
        assertThat(registry.claimName("w1", "c-1")).as("claimed again by its holder").isEmpty();
        assertThat(registry.claimName("w1", "c-2")).contains("c-1");
        assertThat(registry.claimName("w2", "c-2")).isEmpty();

        registry.releaseName("w1", "c-2");
        assertThat(registry.claimName("w1", "c-3")).as("only the holder releases").contains("c-1");
        registry.remove("c-1");
        assertThat(registry.claimName("w1", "c-3")).as("a removed connection's name is free").isEmpty();
        registry.releaseName("w1", "c-3");
        assertThat(registry.claimName("w1", "c-4")).isEmpty();
        assertThat(registry.claimName("w2", "c-4")).contains("c-2");
    }

    private WorkerConnection connection(String id, String host) {
        return new WorkerConnection(id, new Socket(), Transport.TCP, "127.0.0.1:7000",
                Admission.Peer.tcp(host + ":5", host), ConnectorSettings.fromEnvironment(Map.of("CDNODES_WORKER_TOKEN",
                "t")), null, registry, e -> { });
    }
}
