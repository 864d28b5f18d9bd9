package io.cdnodes.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.cdnodes.agent.FakeCoordinator.Conn;
import io.cdnodes.agent.FakeCoordinator.Kind;
import io.cdnodes.agent.link.AgentListener;
import io.cdnodes.agent.packages.PackageCache;
import io.cdnodes.agent.packages.Packages;
import io.cdnodes.agent.run.RunSettings;
import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.AssignmentKind;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.frame.Heartbeat;
import io.cdnodes.protocol.frame.Hello;
import io.cdnodes.protocol.frame.Outcome;
import io.cdnodes.protocol.frame.PackageAck;
import io.cdnodes.protocol.frame.PackageBegin;
import io.cdnodes.protocol.frame.PackageChunk;
import io.cdnodes.protocol.frame.PackageEnd;
import io.cdnodes.protocol.frame.TestResult;
import io.cdnodes.protocol.pkg.UnzipLimits;
import io.cdnodes.protocol.tls.CoordinatorTrust;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The whole agent, in process, against a fake coordinator over real TCP and Unix sockets. */
class AgentTest {

    private static final String TOKEN = "s3cret";
    private static final byte[] PROJECT = Packages.zip(Map.of("test_a.py",
            "def test_ok():\n    pass\n\ndef test_bad():\n    assert 1 == 2\n"));
    private static final String PKG = Packages.id(PROJECT);

    @TempDir
    Path tmp;

    private final ExecutorService background = Executors.newCachedThreadPool();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private FakeCoordinator coordinator;
    private Agent agent;
    private Future<Integer> exit;

    private final AgentListener listener = new AgentListener() {
        @Override
        public void connected(String endpoint, String workerId) {
            events.add("connected " + endpoint + " " + workerId);
        }

        @Override
        public void disconnected(String reason, long retryMillis) {
            events.add("disconnected " + reason + (retryMillis < 0 ? " (final)" : ""));
        }

        @Override
        public void problem(String message, Throwable cause) {
            events.add("problem " + message);
        }
    };

    @AfterEach
    void stopEverything() throws Exception {
        if (agent != null) {
            stopAgent();
            assertThat(exit.get(15, TimeUnit.SECONDS)).isIn(ExitCodes.OK, ExitCodes.REFUSED, ExitCodes.UNTRUSTED);
        }
        background.shutdownNow();
        assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        if (coordinator != null) {
            coordinator.close();
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive));
    }

    /** {@link Agent#stop()} on a daemon thread: a stop that hangs fails the test instead of the build. */
    private void stopAgent() throws InterruptedException {
        Thread stopper = new Thread(agent::stop, "agent-stop");
        stopper.setDaemon(true);
        stopper.start();
        stopper.join(15_000);
        assertThat(stopper.isAlive()).as("Agent.stop() still running after 15 s").isFalse();
    }

    private Conn start(Kind kind, String token, long heartbeatMs, long timeoutMs) throws Exception {
        coordinator = new FakeCoordinator(kind, TOKEN, heartbeatMs, timeoutMs);
        startAgent(token);
        return coordinator.nextConnection();
    }

    private void startAgent(String token) throws Exception {
        startAgent(token, coordinator.trust());
    }

    private void startAgent(String token, CoordinatorTrust trust) throws Exception {
        Path work = tmp.resolve("worker");
        AgentConfig config = new AgentConfig(coordinator.endpoint, token, "worker-1", 2, work, "python3", 8,
                1024 * 1024, Duration.ofMillis(50), Duration.ofMillis(200), 64 * 1024, 4000, trust, trust == null,
                false);
        Path runs = Files.createDirectories(work.resolve("runs"));
        PackageCache cache = new PackageCache(work.resolve("packages"), 8, 1024 * 1024, UnzipLimits.defaults());
        agent = new Agent(config, listener, cache, new RunSettings("python3", Startup.installPlugin(work.resolve("plugin")),
                runs, 64 * 1024, 4000), "3.11.7", "9.0.3");
        exit = background.submit(agent::run);
    }

    private void sendProject(Conn c) throws Exception {
        c.sendPackage(PKG, Files.write(tmp.resolve("project.zip"), PROJECT));
        assertThat(c.next(PackageAck.class)).isEqualTo(new PackageAck(PKG, true, ""));
    }

    private static Assign run(long id, String pkg, List<String> nodeIds) {
        return new Assign(id, 2, 1, 1, pkg, AssignmentKind.RUN, List.of(), Map.of(), nodeIds, 60);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theAgentSaysHelloIsWelcomedAndSendsHeartbeats(Kind kind) throws Exception {
        Conn c = start(kind, TOKEN, 100, 2000);

        assertThat(c.awaitHello()).isEqualTo(new Hello(io.cdnodes.protocol.codec.Wire.VERSION, "worker-1", 2, "3.11.7",
                "9.0.3", TOKEN, List.of(), false));
        assertThat(c.next(Heartbeat.class)).isEqualTo(new Heartbeat(1));
        assertThat(c.next(Heartbeat.class)).isEqualTo(new Heartbeat(2));
        await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("connected " + coordinator.endpoint + " w-1"));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aWrongTokenEndsTheAgentWithRefused(Kind kind) throws Exception {
        start(kind, "not-the-token", 200, 2000);

        assertThat(exit.get(15, TimeUnit.SECONDS)).isEqualTo(ExitCodes.REFUSED);
        assertThat(events).containsExactly("disconnected the coordinator refused this worker: worker token refused "
                + "(final)");
        assertThat(coordinator.connections).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aReceivedPackageRunsAssignmentsAndIsAnnouncedAfterARestart(Kind kind) throws Exception {
        Conn c = start(kind, TOKEN, 200, 2000);
        c.awaitHello();
        sendProject(c);

        c.send(run(7, PKG, List.of("test_a.py::test_ok", "test_a.py::test_bad")));

        TestResult ok = c.next(TestResult.class);
        TestResult bad = c.next(TestResult.class);
        assertThat(List.of(ok, bad)).extracting(TestResult::assignmentId, TestResult::attempt, TestResult::nodeId,
                TestResult::outcome, TestResult::message).containsExactly(
                        tuple(7L, 2, "test_a.py::test_ok", Outcome.PASSED, ""),
                        tuple(7L, 2, "test_a.py::test_bad", Outcome.FAILED, "assert 1 == 2"));
        assertThat(c.next(AssignmentDone.class)).isEqualTo(new AssignmentDone(7, 2, 1, ""));

        stopAgent();
        assertThat(exit.get(15, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        startAgent(TOKEN);
        assertThat(coordinator.nextConnection().awaitHello().cachedPackages()).containsExactly(PKG);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anAssignmentForAPackageTheWorkerDoesNotHoldIsNotStarted(Kind kind) throws Exception {
        Conn c = start(kind, TOKEN, 200, 2000);
        c.awaitHello();

        c.send(run(8, PKG, List.of("test_a.py::test_ok")));

        AssignmentDone done = c.next(AssignmentDone.class);
        assertThat(done.exitCode()).isEqualTo(AssignmentDone.EXIT_PACKAGE_MISSING);
        assertThat(done.detail()).isEqualTo("package " + PKG + " is not on this worker");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aCorruptOrDisorderedPackageIsRefusedWithOneAckAndTheConnectionGoesOn(Kind kind) throws Exception {
        Conn c = start(kind, TOKEN, 200, 2000);
        c.awaitHello();
        byte[] other = "not the project".getBytes(StandardCharsets.UTF_8);
        c.send(new PackageBegin(PKG, other.length));
        c.send(new PackageChunk(PKG, 0, other));
        c.send(new PackageEnd(PKG));

        assertThat(c.next(PackageAck.class)).isEqualTo(new PackageAck(PKG, false,
                "digest mismatch: content hashes to " + Packages.id(other)));

        c.send(new PackageBegin(PKG, PROJECT.length));
        c.send(new PackageChunk(PKG, 100, Arrays.copyOfRange(PROJECT, 100, 200)));
        c.send(new PackageChunk(PKG, 0, Arrays.copyOf(PROJECT, 100)));
        c.send(new PackageChunk(PKG, 100, Arrays.copyOfRange(PROJECT, 100, PROJECT.length)));
        c.send(new PackageEnd(PKG));
        assertThat(c.next(PackageAck.class))
                .isEqualTo(new PackageAck(PKG, false, "chunk at offset 100 but 0 bytes have arrived"));
        sendProject(c);
        assertThat(c.received).noneMatch(PackageAck.class::isInstance);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void whenTheCoordinatorClosesTheConnectionTheAgentReconnects(Kind kind) throws Exception {
        Conn first = start(kind, TOKEN, 200, 2000);
        first.awaitHello();

        first.close();

        Conn second = coordinator.nextConnection();
        assertThat(second.awaitHello().workerName()).isEqualTo("worker-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("connected " + coordinator.endpoint + " w-2"));
        assertThat(events).filteredOn(e -> e.startsWith("disconnected")).isNotEmpty()
                .allMatch(e -> !e.endsWith("(final)"));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void whenTheCoordinatorFallsSilentTheAgentClosesAndReconnects(Kind kind) throws Exception {
        Conn first = start(kind, TOKEN, 100, 500);
        coordinator.heartbeats = false;
        first.awaitHello();

        assertThat(first.awaitClosed()).as("closed by the agent").isTrue();

        assertThat(coordinator.nextConnection().awaitHello().workerName()).isEqualTo("worker-1");
        assertThat(events).contains("problem the coordinator has been silent for 500 ms");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void bytesThatAreNotFramesAreAnsweredWithAnErrorAndTheAgentReconnects(Kind kind) throws Exception {
        Conn first = start(kind, TOKEN, 200, 2000);
        first.awaitHello();

        first.sendRaw("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(first.next(ErrorFrame.class))
                .isEqualTo(new ErrorFrame(ErrorCode.MALFORMED_FRAME, "bad magic: not a CDProto frame"));
        assertThat(first.awaitClosed()).isTrue();
        assertThat(coordinator.nextConnection().awaitHello().workerName()).isEqualTo("worker-1");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aCoordinatorThatStopsReadingAndWritingIsLeftEvenWhileTheAgentIsBlockedSending(Kind kind) throws Exception {
        Conn first = start(kind, TOKEN, 100, 500);
        first.awaitHello();
        coordinator.heartbeats = false;
        coordinator.reading = false;
        // each ASSIGN of an unknown package is answered with an ASSIGNMENT_DONE that nobody reads: the agent's
        // writes block, holding its reader and its heartbeat sender, until the watchdog gives up on the link
        background.submit(() -> {
            for (int i = 0; i < 200_000 && first.closed.getCount() > 0; i++) {
                first.send(run(i, PKG, List.of("test_a.py::test_ok")));
            }
            return null;
        });

        await().atMost(Duration.ofSeconds(10))
                .until(() -> events.contains("problem the coordinator has been silent for 500 ms"));
        coordinator.reading = true;
        assertThat(coordinator.nextConnection().awaitHello().workerName()).isEqualTo("worker-1");
        assertThat(first.awaitClosed()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void aCoordinatorWithAnotherCertificateIsLeftBeforeTheTokenIsSentAndTheAgentEndsWithUntrusted() throws Exception {
        coordinator = new FakeCoordinator(Kind.TLS, TOKEN, 200, 2000);
        io.cdnodes.protocol.tls.Fingerprint wrong = io.cdnodes.protocol.tls.Fingerprint.parse("cd".repeat(32));
        startAgent(TOKEN, CoordinatorTrust.pinned(wrong));
        Conn c = coordinator.nextConnection();

        assertThat(exit.get(15, TimeUnit.SECONDS)).isEqualTo(ExitCodes.UNTRUSTED);
        assertThat(c.awaitClosed()).isTrue();
        assertThat(c.helloArrived).as("the token never went to the impostor").isFalse();
        assertThat(events).containsExactly("disconnected the coordinator at " + coordinator.endpoint + " is not the one "
                + "this worker trusts (the certificate with SHA-256 fingerprint " + wrong + "): the coordinator's "
                + "certificate has the SHA-256 fingerprint " + TestTls.fingerprint() + ", not the expected " + wrong
                + " (final)");
    }

    @org.junit.jupiter.api.Test
    void theCoordinatorsCertificateAsACaFileIsTrustedForTheAddressDialled() throws Exception {
        coordinator = new FakeCoordinator(Kind.TLS, TOKEN, 200, 2000);
        startAgent(TOKEN, CoordinatorTrust.authorities(TestTls.certificates(), TestTls.certificateFile().toString()));

        assertThat(coordinator.nextConnection().awaitHello().workerName()).isEqualTo("worker-1");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aNameInUseIsRetriedWithBackOffUntilItIsFree(Kind kind) throws Exception {
        coordinator = new FakeCoordinator(kind, TOKEN, 200, 2000);
        coordinator.refuseNext.add(new ErrorFrame(ErrorCode.NAME_IN_USE, "a worker named worker-1 is connected "
                + "already (conn=c-1); try again once it is gone"));
        startAgent(TOKEN);

        Conn refused = coordinator.nextConnection();
        assertThat(refused.awaitClosed()).isTrue();
        Conn accepted = coordinator.nextConnection();
        assertThat(accepted.awaitHello().workerName()).isEqualTo("worker-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(e -> e.startsWith("connected ")));
        assertThat(events.get(0)).isEqualTo("disconnected the coordinator closed the connection: NAME_IN_USE a worker "
                + "named worker-1 is connected already (conn=c-1); try again once it is gone");
    }
}
