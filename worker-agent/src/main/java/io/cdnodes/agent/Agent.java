package io.cdnodes.agent;

import io.cdnodes.agent.link.AgentListener;
import io.cdnodes.agent.link.CoordinatorLink;
import io.cdnodes.agent.link.Heartbeats;
import io.cdnodes.agent.link.HelloSize;
import io.cdnodes.agent.link.ProtocolException;
import io.cdnodes.agent.packages.PackageCache;
import io.cdnodes.agent.run.RunSettings;
import io.cdnodes.agent.run.Slots;
import io.cdnodes.protocol.codec.CodecLimits;
import io.cdnodes.protocol.codec.Wire;
import io.cdnodes.protocol.frame.Drain;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Hello;
import io.cdnodes.protocol.session.ClientSession;
import io.cdnodes.protocol.tls.CertificateRefusedException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The worker: connect, say HELLO, serve the link until it ends, then reconnect after a back-off, until
 * stopped or refused for good. What is transient and what is fatal is decided here and only here:
 * connection failures, timeouts, failed TLS handshakes, protocol violations and
 * TOO_MANY_CONNECTIONS/SHUTTING_DOWN/NAME_IN_USE are retried; AUTHENTICATION_FAILED, UNSUPPORTED_VERSION (sent, or
 * seen as another version in the coordinator's frames) and SANDBOX_REQUIRED end the agent with
 * {@link ExitCodes#REFUSED}, {@link ExitCodes#INCOMPATIBLE} or {@link ExitCodes#SANDBOX_REQUIRED}, a coordinator
 * certificate it does not trust with {@link ExitCodes#UNTRUSTED} (before the token is sent).
 *
 * <p>This class is the link's lifecycle: connect, HELLO and WELCOME, the read loop, refusals, stop and drain. What
 * the coordinator sends to be done over a link (packages, assignments, cancels) is {@link WorkReceiver}'s; the
 * heartbeats and their watchdog are {@link Heartbeats}'.
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
        WorkReceiver work = new WorkReceiver(link, packages, runSettings, slots, listener, () -> stopping);
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
                    heartbeats = Heartbeats.start(timers, link, w.welcome(), listener);
                    listener.connected(config.coordinator().toString(), w.welcome().workerId());
                    // the first project's sessions then start warm too
                    slots.pytestSessions().warmUp(runSettings);
                } else if (v instanceof ClientSession.Refused r) {
                    return refused(r.error());
                } else if (v instanceof ClientSession.Reject r) {
                    link.send(r.violation().toErrorFrame());
                    return "protocol violation by the coordinator: " + r.violation().message();
                } else {
                    work.handle(((ClientSession.Deliver) v).frame());
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
