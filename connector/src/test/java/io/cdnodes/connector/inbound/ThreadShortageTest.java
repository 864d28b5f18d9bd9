package io.cdnodes.connector.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.connector.api.WorkerEvent;
import io.cdnodes.protocol.frame.Welcome;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A connection for which the pool has no reader or no writer is closed at once and forgotten, nothing is delivered
 * for it, and the listener goes on admitting the next one.
 */
class ThreadShortageTest {

    private static final String PKG = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @ParameterizedTest
    @ValueSource(strings = {"cdproto-read-", "cdproto-write-"})
    void aConnectionWithoutAThreadIsClosedAndTheNextOneIsServed(String starved) throws Exception {
        try (ListenerFixture fx = new ListenerFixture(Channel.TCP, ListenerFixture.Knobs.defaults())) {
            fx.noThreadFor = name -> name.startsWith(starved);

            TestClient refused = fx.connect();
            refused.send(TestClient.hello("w1", ListenerFixture.TOKEN, List.of(PKG)));
            assertThat(refused.readUntilClosed()).as("nothing is said on a connection nobody serves").isEmpty();
            fx.awaitNoConnections();
            assertThat(fx.events).isEmpty();

            fx.noThreadFor = name -> false;
            TestClient served = fx.connect();
            served.send(TestClient.hello("w1", ListenerFixture.TOKEN, List.of(PKG)));
            assertThat(served.next()).isInstanceOf(Welcome.class);
            String id = fx.connectedId(0); // delivered just after the WELCOME leaves
            assertThat(fx.events).singleElement().isInstanceOf(WorkerEvent.Connected.class);
            assertThat(fx.connection(id).established()).isTrue();
        }
    }
}
