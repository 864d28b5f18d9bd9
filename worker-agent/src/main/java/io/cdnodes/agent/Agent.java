package io.cdnodes.agent;

import io.cdnodes.agent.link.AgentListener;
import io.cdnodes.agent.link.CoordinatorLink;
import io.cdnodes.agent.link.HelloSize;
import io.cdnodes.agent.link.ProtocolException;
import io.cdnodes.agent.packages.PackageCache;
import io.cdnodes.agent.run.PytestRun;
import io.cdnodes.agent.run.RunSettings;
import io.cdnodes.agent.run.Slots;
import io.cdnodes.protocol.codec.CodecLimits;
import io.cdnodes.protocol.codec.Wire;
import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.Cancel;
import io.cdnodes.protocol.frame.Drain;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Heartbeat;
import io.cdnodes.protocol.frame.Hello;
import io.cdnodes.protocol.frame.PackageAck;
import io.cdnodes.protocol.frame.PackageBegin;
import io.cdnodes.protocol.frame.PackageChunk;
import io.cdnodes.protocol.frame.PackageEnd;
import io.cdnodes.protocol.frame.Welcome;
import io.cdnodes.protocol.session.ClientSession;
import io.cdnodes.protocol.tls.CertificateRefusedException;
import io.cdnodes.protocol.transfer.PackageAssembler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker: connect, say HELLO, serve the link until it ends, then reconnect after a back-off, until
 * stopped or refused for good. What is transient and what is fatal is decided here and only here:
 * connection failures, timeouts, failed TLS handshakes, protocol violations and
 * TOO_MANY_CONNECTIONS/SHUTTING_DOWN/NAME_IN_USE are retried; AUTHENTICATION_FAILED, UNSUPPORTED_VERSION (sent, or
 * seen as another version in the coordinator's frames) and SANDBOX_REQUIRED end the agent with
 * {@link ExitCodes#REFUSED}, {@link ExitCodes#INCOMPATIBLE} or {@link ExitCodes#SANDBOX_REQUIRED}, a coordinator
 * certificate it does not trust with {@link ExitCodes#UNTRUSTED} (before the token is sent).
 */
public final class Agent {

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final AgentConfig config;
    private final AgentListener listener;
    private final PackageCache packages;
    private final RunSettings runSettings;
    private final String pythonVersion;
    private final String pytestVersion;
    private final Slots slots;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "agent-timer");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean stopping;
    /** Timing of the package transfer in progress; only the reader thread touches these. */
    private long transferStartNanos;
    private long transferEndNanos;
    private long transferBytes;
    private volatile CoordinatorLink current;

    /** A reason the agent must stop with a given exit code. */
    static final class FatalException extends Exception {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        FatalException(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    public Agent(AgentConfig config, AgentListener listener, PackageCache packages, RunSettings runSettings,
                 String pythonVersion, String pytestVersion) {
        this.config = config;
        this.listener = listener;
        this.packages = packages;
        this.runSettings = runSettings;
        this.pythonVersion = pythonVersion;
        this.pytestVersion = pytestVersion;
        this.slots = new Slots(config.slots(), listener, runSettings.sessionIdle());
    }

    /** Runs until {@link #stop()} or a fatal refusal; returns the exit code. */
    public int run() {
        try {
            return loop();
        } finally {
            timers.shutdownNow();
        }
    }

    private int loop() {
        Backoff backoff = new Backoff(config.backoffMin(), config.backoffMax(), Math::random);
        while (!stopping) {
            String reason;
            try (CoordinatorLink link = CoordinatorLink.open(config.coordinator(), CodecLimits.defaults(), config.tls(),
                    HANDSHAKE_TIMEOUT)) {
                current = link;
                if (stopping) {
                    // stop() came while connecting and saw no link to close (it reads current after setting stopping)
                    break;
                }
                reason = serve(link, backoff);
            } catch (FatalException e) {
                listener.disconnected(e.getMessage(), -1);
                return e.exitCode;
            } catch (CertificateRefusedException e) {
                listener.disconnected("the coordinator at " + config.coordinator() + " is not the one this worker "
                        + "trusts (" + config.tls() + "): " + e.getMessage(), -1);
                return ExitCodes.UNTRUSTED;
            } catch (IOException e) {
                reason = e.getMessage() == null ? e.toString() : e.getMessage();
            } finally {
                current = null;
                slots.cancelAll();
                packages.abortTransfer();
            }
            if (stopping) {
                break;
            }
            long delay = backoff.next().toMillis();
            listener.disconnected(reason, delay);
            sleep(delay);
        }
        return ExitCodes.OK;
    }

    /** Stops the agent: running pytest processes are killed and the connection is closed. */
    public void stop() {
        stop(Duration.ZERO);
    }

    /**
     * Leaves gracefully: says DRAIN, lets each running pytest finish the test it is running (at most
     * {@code grace}), reports the rest of each assignment as handed back ({@code EXIT_DRAINED}), then closes
     * the connection. Whatever still runs after {@code grace} is killed; the coordinator requeues it.
     */
    public void stop(Duration grace) {
        stopping = true;
        CoordinatorLink link = current;
        if (link != null && !link.isClosed()) {
            try {
                link.send(new Drain("the worker is stopping"));
                slots.drainAll();
                if (!slots.awaitIdle(grace.toMillis())) {
                    listener.status("drain grace period of " + grace.toSeconds() + " s over; stopping what still runs");
                }
            } catch (IOException ignored) {
                // the connection is gone: nothing to hand back over it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            link.close();
        }
        try {
            slots.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // the timers stop when run() returns: shutting them down here could fail a link being opened right now
    }

    private String serve(CoordinatorLink link, Backoff backoff) throws IOException, FatalException {
        ClientSession protocol = new ClientSession();
        // the coordinator takes at most a few KiB before it knows the worker: the oldest cached ids may be left out
        link.send(HelloSize.fit(packages.ids(), cached -> new Hello(Wire.VERSION, config.name(), config.slots(),
                pythonVersion, pytestVersion, config.token(), cached,
                runSettings.sandbox().enabled())));
        ScheduledFuture<?> handshakeGuard = timers.schedule(link::close, HANDSHAKE_TIMEOUT.toMillis(),
                TimeUnit.MILLISECONDS);
        List<ScheduledFuture<?>> heartbeats = List.of();
        try {
            while (true) {
                Frame frame = readOrStop(link);
                ClientSession.Verdict v = protocol.onFrame(frame);
                if (v instanceof ClientSession.Welcomed w) {
                    handshakeGuard.cancel(false);
                    backoff.reset();
                    heartbeats = startHeartbeats(link, w.welcome());
                    listener.connected(config.coordinator().toString(), w.welcome().workerId());
                } else if (v instanceof ClientSession.Refused r) {
                    return refused(r.error());
                } else if (v instanceof ClientSession.Reject r) {
                    link.send(r.violation().toErrorFrame());
                    return "protocol violation by the coordinator: " + r.violation().message();
                } else {
                    handle(link, ((ClientSession.Deliver) v).frame());
                }
            }
        } finally {
            handshakeGuard.cancel(false);
            heartbeats.forEach(f -> f.cancel(false));
        }
    }

    private String refused(ErrorFrame error) throws FatalException {
        if (error.code() == ErrorCode.AUTHENTICATION_FAILED) {
            throw new FatalException(ExitCodes.REFUSED, "the coordinator refused this worker: " + error.message());
        }
        if (error.code() == ErrorCode.SANDBOX_REQUIRED) {
            throw new FatalException(ExitCodes.SANDBOX_REQUIRED, "the coordinator accepts only workers that run "
                    + "tests in a sandbox, and this one does not (" + runSettings.sandbox().description() + ")");
        }
        if (error.code() == ErrorCode.UNSUPPORTED_VERSION) {
            throw new FatalException(ExitCodes.INCOMPATIBLE, "the coordinator cannot talk with this worker: "
                    + error.message());
        }
        // NAME_IN_USE too: the name is free again once the coordinator has noticed our lost connection
        return "the coordinator closed the connection: " + error.code() + " " + error.message();
    }

    /**
     * {@link #read}, except that a coordinator speaking another protocol version (its frames carry another version
     * byte, its refusal among them) ends the agent: retrying cannot help.
     */
    private static Frame readOrStop(CoordinatorLink link) throws IOException, FatalException {
        try {
            return read(link);
        } catch (ProtocolException e) {
            if (e.violation().code() == ErrorCode.UNSUPPORTED_VERSION) {
                throw new FatalException(ExitCodes.INCOMPATIBLE, "the coordinator speaks another protocol version: "
                        + e.violation().message());
            }
            throw e;
        }
    }

    /** The next frame; bytes that are not frames are answered with the violation's ERROR (section 10). */
    private static Frame read(CoordinatorLink link) throws IOException {
        try {
            return link.read();
        } catch (ProtocolException e) {
            try {
                link.send(e.violation().toErrorFrame());
            } catch (IOException ignored) {
                // closing anyway
            }
            throw e;
        }
    }

    /**
     * Heartbeats every interval, and a watchdog that closes the link when the coordinator has been silent past
     * its timeout. They are separate tasks (the pool has two threads) so that a heartbeat blocked on a
     * coordinator that stopped reading cannot keep the watchdog from firing; closing the link unblocks it.
     */
    private List<ScheduledFuture<?>> startHeartbeats(CoordinatorLink link, Welcome welcome) {
        AtomicLong seq = new AtomicLong();
        long interval = Math.max(100, welcome.heartbeatIntervalMs());
        long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(interval * 2, welcome.heartbeatTimeoutMs()));
        ScheduledFuture<?> watchdog = timers.scheduleAtFixedRate(() -> {
            if (!link.isClosed() && System.nanoTime() - link.lastReceivedNanos() > timeoutNanos) {
                listener.problem("the coordinator has been silent for " + welcome.heartbeatTimeoutMs() + " ms", null);
                link.close();
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> beats = timers.scheduleAtFixedRate(() -> {
            try {
                link.send(new Heartbeat(seq.incrementAndGet()));
            } catch (IOException e) {
                link.close();
            }
        }, 0, interval, TimeUnit.MILLISECONDS);
        return List.of(watchdog, beats);
    }

    private void handle(CoordinatorLink link, Frame frame) throws IOException {
        if (frame instanceof Heartbeat) {
            return;
        }
        if (frame instanceof PackageBegin b) {
            transferStartNanos = System.nanoTime();
            transferBytes = b.totalBytes();
            onPackage(link, b.packageId(), () -> packages.begin(b), false);
        } else if (frame instanceof PackageChunk c) {
            onPackage(link, c.packageId(), () -> packages.chunk(c), false);
        } else if (frame instanceof PackageEnd e) {
            transferEndNanos = System.nanoTime();
            onPackage(link, e.packageId(), () -> packages.end(e), true);
        } else if (frame instanceof Assign a) {
            onAssign(link, a);
        } else if (frame instanceof Cancel c) {
            slots.cancel(c.assignmentId());
        }
    }

    @FunctionalInterface
    private interface PackageStep {
        void apply() throws IOException, PackageAssembler.TransferException;
    }

    /** One PACKAGE_ACK per transfer, at its END: a transfer refused earlier is refused again by the END. */
    private void onPackage(CoordinatorLink link, String packageId, PackageStep step, boolean last) throws IOException {
        try {
            step.apply();
            if (last) {
                link.send(new PackageAck(packageId, true, ""));
                long transferMs = Math.max(1, (transferEndNanos - transferStartNanos) / 1_000_000);
                long unpackMs = (System.nanoTime() - transferEndNanos) / 1_000_000;
                listener.status(String.format(java.util.Locale.ROOT,
                        "package %s received: %d bytes in %d ms (%.1f MB/s), unpacked in %d ms",
                        packageId.substring(0, 12), transferBytes, transferMs,
                        transferBytes / 1e6 / (transferMs / 1000.0), unpackMs));
            }
        } catch (PackageAssembler.TransferException | IOException e) {
            listener.problem("package " + packageId.substring(0, 12) + " refused", e);
            if (last) {
                link.send(new PackageAck(packageId, false, String.valueOf(e.getMessage())));
            }
        }
    }

    private void onAssign(CoordinatorLink link, Assign a) throws IOException {
        if (stopping) {
            // assigned before the coordinator read our DRAIN: hand it straight back
            link.send(new AssignmentDone(a.assignmentId(), a.attempt(), AssignmentDone.EXIT_DRAINED, ""));
            return;
        }
        Optional<Path> dir = packages.acquire(a.packageId());
        if (dir.isEmpty()) {
            link.send(new AssignmentDone(a.assignmentId(), a.attempt(), AssignmentDone.EXIT_PACKAGE_MISSING,
                    "package " + a.packageId() + " is not on this worker"));
            return;
        }
        PytestRun run = new PytestRun(a, dir.get(), runSettings, link::send, slots.pytestSessions());
        slots.submit(run, () -> packages.release(a.packageId()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
