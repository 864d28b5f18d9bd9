package io.cdnodes.coordinator.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.connector.api.ConnectionInfo;
import io.cdnodes.connector.api.Transport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkMapTest {

    @Test
    void eachEndMapsToTheOthersItTalksTo() {
        Map<String, List<String>> map = NetworkMap.of(List.of("10.0.0.1:7000", "unix:/data/cdproto.sock"), List.of(
                new ConnectionInfo("c1", Transport.TCP, "10.0.0.1:7000", "10.0.0.6:41022", "w2"),
                new ConnectionInfo("c2", Transport.TCP, "10.0.0.1:7000", "10.0.0.5:41000", "w1"),
                new ConnectionInfo("c3", Transport.UNIX, "unix:/data/cdproto.sock", "unix:pid=77", "w3")));

        assertThat(map).containsExactly(
                Map.entry("10.0.0.1:7000", List.of("10.0.0.5:41000", "10.0.0.6:41022")),
                Map.entry("unix:/data/cdproto.sock", List.of("unix:pid=77")),
                Map.entry("10.0.0.6:41022", List.of("10.0.0.1:7000")),
                Map.entry("10.0.0.5:41000", List.of("10.0.0.1:7000")),
                Map.entry("unix:pid=77", List.of("unix:/data/cdproto.sock")));
    }

    @Test
    void aWorkerAlsoMapsToTheWorkersBackingItUp() {
        Map<String, List<String>> map = NetworkMap.of(List.of("10.0.0.1:7000"), List.of(
                new ConnectionInfo("c1", Transport.TCP, "10.0.0.1:7000", "10.0.0.5:41000", "w1"),
                new ConnectionInfo("c2", Transport.TCP, "10.0.0.1:7000", "10.0.0.6:41022", "w2")),
                List.of(Map.entry("c1", "c2"), Map.entry("c2", "c1"), Map.entry("c1", "gone")));

        assertThat(map.get("10.0.0.5:41000")).containsExactly("10.0.0.1:7000", "10.0.0.6:41022");
        assertThat(map.get("10.0.0.6:41022")).containsExactly("10.0.0.1:7000", "10.0.0.5:41000");
        assertThat(map.get("10.0.0.1:7000")).containsExactly("10.0.0.5:41000", "10.0.0.6:41022");
    }

    @Test
    void listenAddressesWithoutWorkersMapToNothing() {
        assertThat(NetworkMap.of(List.of("127.0.0.1:7000"), List.of()))
                .containsExactly(Map.entry("127.0.0.1:7000", List.of()));
    }

    @Test
    void nothingAtAll() {
        assertThat(NetworkMap.of(List.of(), List.of())).isEmpty();
    }

    @Test
    void aConnectionOnAnUnlistedAddressStillAppears() {
        Map<String, List<String>> map = NetworkMap.of(List.of("0.0.0.0:7000"),
                List.of(new ConnectionInfo("c1", Transport.TCP, "10.0.0.1:7000", "10.0.0.5:41000", "w1")));

        assertThat(map).containsExactly(
                Map.entry("0.0.0.0:7000", List.of()),
                Map.entry("10.0.0.1:7000", List.of("10.0.0.5:41000")),
                Map.entry("10.0.0.5:41000", List.of("10.0.0.1:7000")));
    }

    @Test
    void twoConnectionsBetweenTheSameEndsAreOneEdge() {
        Map<String, List<String>> map = NetworkMap.of(List.of("a:1"), List.of(
                new ConnectionInfo("c1", Transport.TCP, "a:1", "b:2", "w"),
                new ConnectionInfo("c2", Transport.TCP, "a:1", "b:2", "w")));

        assertThat(map).containsExactly(Map.entry("a:1", List.of("b:2")), Map.entry("b:2", List.of("a:1")));
    }
}
