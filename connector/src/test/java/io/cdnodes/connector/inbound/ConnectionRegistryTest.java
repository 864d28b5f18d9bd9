package io.cdnodes.connector.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.connector.api.Transport;
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
        WorkerConnection c = new WorkerConnection("c-1", new Socket(), Transport.TCP, "127.0.0.1:7000", "127.0.0.1:5",
                ConnectorSettings.fromEnvironment(Map.of()), e -> { }, () -> { });

        registry.add(c);

        assertThat(registry.size()).isEqualTo(1);
        assertThat(registry.any("c-1")).containsSame(c);
        assertThat(registry.established("c-1")).isEmpty();
        assertThat(registry.establishedInfo()).isEmpty();
        registry.remove("c-1");
        assertThat(registry.size()).isZero();
        assertThat(registry.any("c-1")).isEmpty();
    }
}
