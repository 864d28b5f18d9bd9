package io.cdnodes.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.AssignmentKind;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Heartbeat;
import io.cdnodes.protocol.frame.Hello;
import io.cdnodes.protocol.frame.Outcome;
import io.cdnodes.protocol.frame.PackageAck;
import io.cdnodes.protocol.frame.PackageBegin;
import io.cdnodes.protocol.frame.PackageChunk;
import io.cdnodes.protocol.frame.PackageEnd;
import io.cdnodes.protocol.frame.TestResult;
import io.cdnodes.protocol.frame.Welcome;
import io.cdnodes.protocol.session.ClientSession.Deliver;
import io.cdnodes.protocol.session.ClientSession.Refused;
import io.cdnodes.protocol.session.ClientSession.Welcomed;
import io.cdnodes.protocol.transfer.PackageAssembler;
import io.cdnodes.protocol.transfer.PackageAssembler.TransferException;
import io.cdnodes.protocol.transfer.PackageChunker;
import io.cdnodes.protocol.transfer.PackageDigest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker ({@link ClientSession}, on the test thread) and a coordinator ({@link ServerSession}, on its own
 * thread) talking over in-memory pipes, through the real encoder and decoder.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ClientServerConversationTest {

    private static final String SECRET = "s3cret";

    private final ClientSession client = new ClientSession();
    private FrameChannel worker;
    private TestCoordinator coordinator;

    @TempDir
    Path dir;

    private void connect(WorkerToken token, SessionTimeouts timeouts) throws IOException {
        FrameChannel[] ends = FrameChannel.pair("worker", "coordinator");
        worker = ends[0];
        coordinator = new TestCoordinator(ends[1], token, timeouts);
    }

    @AfterEach
    void disconnect() {
        if (coordinator != null) {
            coordinator.close();
        }
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void handshakeHeartbeatPackageAssignmentAndResults() throws Exception {
        connect(WorkerToken.of(SECRET), SessionTimeouts.defaults());
        Welcome welcome = handshake(SECRET);
        assertThat(welcome.heartbeatIntervalMs()).isEqualTo(1000);
        assertThat(coordinator.accepted.get(5, TimeUnit.SECONDS).workerName()).isEqualTo("w1");

        worker.send(new Heartbeat(1));
        assertThat(coordinator.nextDelivered()).isEqualTo(new Heartbeat(1));
        assertThat(client.onFrame(worker.nextFrame())).isEqualTo(new Deliver(new Heartbeat(1)));

        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        String packageId = sendPackage(content, 64 * 1024);
        ByteArrayOutputStream store = new ByteArrayOutputStream();
        PackageAck ack = receivePackage(store);
        assertThat(ack.accepted()).as(ack.message()).isTrue();
        assertThat(store.toByteArray()).isEqualTo(content);
        worker.send(ack);
        assertThat(coordinator.nextDelivered()).isEqualTo(new PackageAck(packageId, true, ""));

        Assign assign = new Assign(11, 1, 3, 4, packageId, AssignmentKind.RUN, List.of("-q"), Map.of("A", "1"),
                List.of("tests/test_a.py::test_x"), 60);
        coordinator.channel.send(assign);
        assertThat(client.onFrame(worker.nextFrame())).isEqualTo(new Deliver(assign));

        TestResult result = new TestResult(11, 1, "tests/test_a.py::test_x", Outcome.FAILED, 0.25, "assert 1 == 2");
        worker.send(result);
        worker.send(new AssignmentDone(11, 1, 1, ""));
        assertThat(coordinator.nextDelivered()).isEqualTo(result);
        assertThat(coordinator.nextDelivered()).isEqualTo(new AssignmentDone(11, 1, 1, ""));
        assertThat(coordinator.rejected).isNotDone();
    }

    @Test
    void refusedPackageIsSentAgainAndThenAccepted() throws Exception {
        connect(WorkerToken.none(), SessionTimeouts.defaults());
        handshake("");
        byte[] content = "print('hello')\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        String packageId = PackageDigest.of(content);

        // a transfer damaged in flight: one byte differs, so the digest does not match the id
        byte[] damaged = content.clone();
        damaged[500] ^= 1;
        coordinator.channel.send(new PackageBegin(packageId, damaged.length));
        coordinator.channel.send(new PackageChunk(packageId, 0, damaged));
        coordinator.channel.send(new PackageEnd(packageId));
        PackageAck refused = receivePackage(new ByteArrayOutputStream());
        assertThat(refused.accepted()).isFalse();
        assertThat(refused.message()).contains("digest");
        worker.send(refused);
        assertThat(coordinator.nextDelivered()).isEqualTo(refused);

        sendPackage(content, 4096);
        ByteArrayOutputStream store = new ByteArrayOutputStream();
        assertThat(receivePackage(store).accepted()).isTrue();
        assertThat(store.toByteArray()).isEqualTo(content);
    }

    @Test
    void wrongTokenIsRefusedWithAnErrorAndTheConnectionCloses() throws Exception {
        connect(WorkerToken.of(SECRET), SessionTimeouts.defaults());
        worker.send(hello("not-the-secret"));

        Refused refused = (Refused) client.onFrame(worker.nextFrame());

        assertThat(refused.error().code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(refused.error().message()).doesNotContain(SECRET).doesNotContain("not-the-secret");
        assertThat(worker.next()).isSameAs(FrameChannel.EOF);
        assertThat(client.state()).isEqualTo(ClientSession.State.CLOSED);
    }

    @Test
    void silentWorkerRunsIntoTheHandshakeTimeout() throws Exception {
        Duration shortHandshake = Duration.ofMillis(150);
        connect(WorkerToken.none(), new SessionTimeouts(shortHandshake, Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(30)));

        Refused refused = (Refused) client.onFrame(worker.nextFrame());

        assertThat(refused.error().code()).isEqualTo(ErrorCode.HANDSHAKE_TIMEOUT);
        assertThat(worker.next()).isSameAs(FrameChannel.EOF);
    }

    @Test
    void garbageFromTheWorkerGetsMalformedFrameAndClose() throws Exception {
        connect(WorkerToken.none(), SessionTimeouts.defaults());
        worker.sendRaw("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        Refused refused = (Refused) client.onFrame(worker.nextFrame());

        assertThat(refused.error().code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
        assertThat(worker.next()).isSameAs(FrameChannel.EOF);
        assertThat(coordinator.rejected.get(5, TimeUnit.SECONDS).code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void coordinatorFrameFromTheWorkerGetsUnexpectedFrame() throws Exception {
        connect(WorkerToken.none(), SessionTimeouts.defaults());
        handshake("");
        worker.send(new PackageEnd(PackageDigest.of(new byte[0])));

        Refused refused = (Refused) client.onFrame(worker.nextFrame());

        assertThat(refused.error().code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME);
        assertThat(worker.next()).isSameAs(FrameChannel.EOF);
    }

    @Test
    void workerThatHangsUpEndsTheSession() throws Exception {
        connect(WorkerToken.none(), SessionTimeouts.defaults());
        handshake("");

        worker.closeOutput();

        coordinator.ended.get(5, TimeUnit.SECONDS);
        assertThat(coordinator.rejected).as("a clean hang-up is not a violation").isNotDone();
    }

    private static Hello hello(String token) {
        return new Hello(io.cdnodes.protocol.codec.Wire.VERSION, "w1", 2, "Python 3.12.3", "8.3.2", token, List.of());
    }

    private Welcome handshake(String token) throws Exception {
        worker.send(hello(token));
        ClientSession.Verdict verdict = client.onFrame(worker.nextFrame());
        assertThat(verdict).isInstanceOf(Welcomed.class);
        return ((Welcomed) verdict).welcome();
    }

    /** The coordinator's part: chunk a package file into frames on the connection. */
    private String sendPackage(byte[] content, int chunkBytes) throws IOException {
        Path file = Files.write(Files.createTempFile(dir, "pkg", ".zip"), content);
        String packageId = PackageDigest.of(file);
        new PackageChunker(chunkBytes).send(packageId, file, coordinator.channel::send);
        return packageId;
    }

    /** The worker's part: reassemble one transfer and decide the acknowledgement. */
    private PackageAck receivePackage(ByteArrayOutputStream store) throws Exception {
        PackageBegin begin = (PackageBegin) delivered();
        try {
            PackageAssembler assembler = new PackageAssembler(begin, 10 * 1024 * 1024, store);
            for (Frame frame = delivered(); ; frame = delivered()) {
                if (frame instanceof PackageChunk chunk) {
                    assembler.onChunk(chunk);
                } else {
                    assembler.onEnd((PackageEnd) frame);
                    return new PackageAck(begin.packageId(), true, "");
                }
            }
        } catch (TransferException e) {
            return new PackageAck(begin.packageId(), false, e.getMessage());
        }
    }

    private Frame delivered() throws InterruptedException {
        ClientSession.Verdict verdict = client.onFrame(worker.nextFrame());
        assertThat(verdict).isInstanceOf(Deliver.class);
        return ((Deliver) verdict).frame();
    }
}
