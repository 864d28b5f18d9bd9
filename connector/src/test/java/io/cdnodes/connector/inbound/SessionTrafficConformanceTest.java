package io.cdnodes.connector.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cdnodes.connector.api.Transport;
import io.cdnodes.connector.api.WorkerEvent;
import io.cdnodes.protocol.frame.Cancel;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Heartbeat;
import io.cdnodes.protocol.frame.PackageBegin;
import io.cdnodes.protocol.frame.PackageChunk;
import io.cdnodes.protocol.frame.PackageEnd;
import io.cdnodes.protocol.frame.Welcome;
import io.cdnodes.protocol.transfer.PackageDigest;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What an established connection does: heartbeats, pushes, packages, slow readers, the end. Both transports. */
class SessionTrafficConformanceTest {

    @TempDir
    Path tmp;

    private ListenerFixture fx;

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    /** A connected, welcomed client; its connection id is {@code fx.connectedId(0)}. */
    private TestClient established(Channel t, ListenerFixture.Knobs knobs) throws Exception {
        fx = new ListenerFixture(t, knobs);
        TestClient c = fx.connect();
        c.send(TestClient.hello("w1", ListenerFixture.TOKEN, List.of()));
        assertThat(c.next()).isInstanceOf(Welcome.class);
        return c;
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void theCoordinatorSendsNumberedHeartbeatsWhenItHasNothingElseToSend(Channel t) throws Exception {
        TestClient c = established(t, ListenerFixture.Knobs.defaults().timeouts(5000, 100, 5000, 30_000));

        List<Frame> frames = List.of(c.next(), c.next(), c.next());

        assertThat(frames).containsExactly(new Heartbeat(1), new Heartbeat(2), new Heartbeat(3));
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void heartbeatsFromTheWorkerKeepTheSessionAlivePastTheIdleTimeout(Channel t) throws Exception {
        TestClient c = established(t, ListenerFixture.Knobs.defaults().timeouts(5000, 100, 300, 30_000));
        String id = fx.connectedId(0);

        for (int i = 1; i <= 6; i++) { // 600 ms, twice the idle timeout
            c.send(new Heartbeat(i));
            Thread.sleep(100);
        }

        assertThat(fx.registry.established(id)).isPresent();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> fx.eventsOf(id).stream().filter(WorkerEvent.Received.class::isInstance).count() == 6);
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void timeSpentDeliveringAnEventIsNotCountedAsTheWorkersSilence(Channel t) throws Exception {
        TestClient c = established(t, ListenerFixture.Knobs.defaults().timeouts(5000, 100, 400, 30_000));
        String id = fx.connectedId(0);
        fx.endpoint = e -> {
            if (e instanceof WorkerEvent.Received r && r.frame() instanceof io.cdnodes.protocol.frame.Drain) {
                sleep(800); // a slow endpoint: twice the idle timeout
            }
        };

        c.send(new io.cdnodes.protocol.frame.Drain("slow to handle"));
        for (int i = 1; i <= 10; i++) { // the worker keeps its heartbeats coming meanwhile
            Thread.sleep(100);
            c.send(new Heartbeat(i));
        }

        assertThat(fx.registry.established(id)).as("still connected").isPresent();
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.eventsOf(id).contains(
                new WorkerEvent.Received(id, new Heartbeat(10))));
        assertThat(fx.eventsOf(id)).noneMatch(WorkerEvent.Disconnected.class::isInstance);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void aWorkerThatStopsReadingIsClosedWhenItsSendQueueOverflows(Channel t) throws Exception {
        // the client never reads: the kernel buffers fill, then the queue, then the connection is closed
        TestClient c = established(t, ListenerFixture.Knobs.defaults().sendQueueBytes(256 * 1024));
        String id = fx.connectedId(0);
        WorkerConnection conn = fx.connection(id);
        Cancel big = new Cancel(1, "x".repeat(64 * 1024));

        int sent = 0;
        while (sent < 2000 && conn.send(big)) {
            sent++;
            // let the writer move what it can into the kernel (encrypting, on TLS): only a reader that stops fills the
            // queue; once the kernel's buffers are full, the queue grows by a frame per round
            for (int i = 0; i < 100 && conn.queuedBytes() > 0; i++) {
                Thread.sleep(1);
            }
        }

        // more than the queue holds (4 frames) went out before it overflowed: the kernel buffers filled first
        assertThat(sent).as("frames queued before the overflow").isBetween(5, 1999);
        assertThat(conn.send(new Cancel(2, "after the overflow"))).isFalse();
        assertThat(fx.awaitDisconnected(id).reason()).isEqualTo("the worker stopped reading (send queue full)");
        fx.awaitNoConnections();
        List<Frame> arrived = c.readUntilClosed(); // what was written before the close, then the end
        assertThat(arrived).hasSizeLessThanOrEqualTo(sent).allMatch(f -> f.equals(big) || f instanceof Heartbeat);
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void aPackageIsStreamedAsBeginChunksEndThatReassembleToItsDigest(Channel t) throws Exception {
        TestClient c = established(t, ListenerFixture.Knobs.defaults());
        byte[] content = new byte[300_000];
        new Random(42).nextBytes(content);
        Path file = Files.write(tmp.resolve("p.zip"), content);
        String id = PackageDigest.of(file);
        WorkerConnection conn = fx.connection(fx.connectedId(0));

        assertThat(conn.sendPackage(id, file)).isTrue();
        assertThat(conn.send(new Cancel(9, "queued after the package"))).isTrue();

        assertThat(receivePackage(c, id)).isEqualTo(content);
        assertThat(PackageDigest.of(receivedBytes.toByteArray())).isEqualTo(id);
        assertThat(chunkSizes).containsExactly(65536, 65536, 65536, 65536, 37856);
        assertThat(c.nextNonHeartbeat()).isEqualTo(new Cancel(9, "queued after the package"));
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void aFrameLimitBelowTheChunkSizeStillLetsPackagesThrough(Channel t) throws Exception {
        // CDNODES_MAX_FRAME_BYTES bounds what the coordinator accepts, not what it sends to a worker
        TestClient c = established(t, ListenerFixture.Knobs.defaults().maxPayloadBytes(4096));
        byte[] content = new byte[100_000];
        new Random(7).nextBytes(content);
        Path file = Files.write(tmp.resolve("p.zip"), content);
        String id = PackageDigest.of(file);

        assertThat(fx.connection(fx.connectedId(0)).sendPackage(id, file)).isTrue();

        assertThat(receivePackage(c, id)).isEqualTo(content);
        assertThat(chunkSizes).containsExactly(65536, 34464);
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void disconnectedIsDeliveredExactlyOnceAndLast(Channel t) throws Exception {
        TestClient c = established(t, ListenerFixture.Knobs.defaults());
        String id = fx.connectedId(0);
        c.send(new Heartbeat(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.eventsOf(id).size() == 2);

        c.close();

        assertThat(fx.awaitDisconnected(id).reason()).isEqualTo("the worker closed the connection");
        fx.awaitNoConnections();
        fx.registry.closeAll("closing again must not add an event");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> fx.eventsOf(id).size() == 3);
        assertThat(fx.eventsOf(id)).map(e -> e.getClass().getSimpleName())
                .containsExactly("Connected", "Received", "Disconnected");
        assertThat(fx.eventsOf(id).get(1)).isEqualTo(new WorkerEvent.Received(id, new Heartbeat(5)));
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void closingAllConnectionsSendsShuttingDownAndDeliversDisconnected(Channel t) throws Exception {
        TestClient c = established(t, ListenerFixture.Knobs.defaults());
        String id = fx.connectedId(0);

        fx.registry.closeAll("the coordinator is stopping");

        assertThat(c.readUntilClosed()).filteredOn(f -> !(f instanceof Heartbeat)).containsExactly(
                new io.cdnodes.protocol.frame.ErrorFrame(io.cdnodes.protocol.frame.ErrorCode.SHUTTING_DOWN,
                        "the coordinator is stopping"));
        assertThat(fx.awaitDisconnected(id).reason()).isEqualTo("the coordinator is stopping");
        fx.awaitNoConnections();
        assertThat(fx.registry.any(id)).isEmpty();
    }

    private final ByteArrayOutputStream receivedBytes = new ByteArrayOutputStream();
    private final List<Integer> chunkSizes = new ArrayList<>();

    /** Reads BEGIN, CHUNK..., END of one package, checking ids and offsets; returns the reassembled bytes. */
    private byte[] receivePackage(TestClient c, String id) throws Exception {
        PackageBegin begin = (PackageBegin) c.nextNonHeartbeat();
        assertThat(begin.packageId()).isEqualTo(id);
        for (int i = 0; i < 10_000; i++) {
            Frame f = c.nextNonHeartbeat();
            if (f instanceof PackageEnd end) {
                assertThat(end.packageId()).isEqualTo(id);
                assertThat((long) receivedBytes.size()).isEqualTo(begin.totalBytes());
                return receivedBytes.toByteArray();
            }
            PackageChunk chunk = (PackageChunk) f;
            assertThat(chunk.packageId()).isEqualTo(id);
            assertThat(chunk.offset()).isEqualTo(receivedBytes.size());
            chunkSizes.add(chunk.data().length);
            receivedBytes.write(chunk.data());
        }
        throw new AssertionError("no PACKAGE_END");
    }
}
