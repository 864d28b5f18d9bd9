package io.cdnodes.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real coordinator: Payara Micro deploying cdnodes-connector.rar and cdnodes-web.war, on free ports, with
 * its own data folder and a short Unix socket path. {@link #start()} returns once its readiness probe says it is
 * ready and its admin key is known. The admin key is random per instance ({@code CDNODES_ADMIN_KEY}), unless the extra
 * environment sets one, or sets it empty to have the coordinator make one into its data folder.
 */
public final class Coordinator implements AutoCloseable {

    /** The worker token of the shared coordinator (and of any started without one), random per test run. */
    public static final String TOKEN = "e2e-" + java.util.UUID.randomUUID();

    private final Path dataDir;
    private final Path socket;
    private final int httpPort;
    private final int protoPort;
    private final Map<String, String> extraEnv;
    /** The admin key given in the environment; null when the coordinator makes its own. */
    private final String adminKey;
    private ManagedProcess process;

    public Coordinator(Map<String, String> extraEnv) {
        this.dataDir = Paths.work("coordinator-");
        try {
            // sun_path is short (108 bytes): keep the socket out of the deep build folder
            this.socket = Files.createTempDirectory(Path.of("/tmp"), "cdn-").resolve("cdproto.sock");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.httpPort = FreePort.find();
        this.protoPort = FreePort.find();
        String configured = extraEnv.get("CDNODES_ADMIN_KEY");
        this.adminKey = configured == null ? "e2e-admin-" + java.util.UUID.randomUUID()
                : configured.isBlank() ? null : configured;
        Map<String, String> env = new HashMap<>(extraEnv);
        env.remove("CDNODES_ADMIN_KEY");
        this.extraEnv = Map.copyOf(env);
    }

    public Coordinator start() {
        Map<String, String> env = new HashMap<>(extraEnv);
        if (!"true".equals(env.get("CDNODES_INSECURE_NO_WORKER_TOKEN"))) {
            env.putIfAbsent("CDNODES_WORKER_TOKEN", TOKEN); // the coordinator does not start without one
        }
        env.put("CDNODES_DATA_DIR", dataDir.toString());
        env.put("CDNODES_PROTO_HOST", "127.0.0.1");
        env.put("CDNODES_PROTO_PORT", Integer.toString(protoPort));
        env.put("CDNODES_SOCKET", socket.toString());
        env.put("CDNODES_HTTP_PORT", Integer.toString(httpPort));
        if (adminKey != null) {
            env.put("CDNODES_ADMIN_KEY", adminKey);
        }
        // C1 only, as ./cdnodes starts it
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx768m", "-XX:TieredStopAtLevel=1",
                "-jar", Paths.payaraJar().toString(), "--nohazelcast", "--disablephonehome",
                "--port", Integer.toString(httpPort),
                "--rootdir", dataDir.resolve("payara").toString(),
                "--postbootcommandfile", Paths.postBootCommands().toString(),
                "--deploy", Paths.rar().toString(), "--deploy", Paths.war().toString()));
        try {
            try {
                boot(cmd, env);
            } catch (DeploymentFailed e) {
                // Payara Micro 6.2025.10 now and then fails to validate the rar at boot (a NullPointerException in
                // its ConnectorValidator: the main thread's context class loader is null) and runs on without the
                // application: said loudly, and booted once more; a second failure fails the test
                System.err.println("[e2e] " + e.getMessage() + "; starting the coordinator once more");
                process.close();
                boot(cmd, env);
            }
        } catch (RuntimeException e) {
            // a coordinator that did not start is not left running after the tests
            process.close();
            throw e;
        }
        return this;
    }

    private void boot(List<String> cmd, Map<String, String> env) {
        Path log = dataDir.resolve("coordinator.log");
        long logFrom;
        try {
            logFrom = Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process = new ManagedProcess(cmd, env, dataDir, log);
        awaitReady(Duration.ofSeconds(180), logFrom);
    }

    /** Payara started, but without the application: it said so in its log. */
    private static final class DeploymentFailed extends IllegalStateException {
        DeploymentFailed(String message) {
            super(message);
        }
    }

    /**
     * Waits until the readiness probe (no key) reports the coordinator's own check UP and the admin key is known:
     * the probe, not an API call with a key, so that a key the test got wrong shows as a 401 in the test rather
     * than as a coordinator that "did not start". Payara answers UP with no checks before the war is deployed,
     * hence the check's name.
     */
    private void awaitReady(Duration timeout, long logFrom) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the coordinator exited during start:\n" + process.logTail(60));
            }
            if (deploymentFailed(logFrom)) {
                throw new DeploymentFailed("Payara failed to deploy the coordinator's application (see "
                        + process.log() + ")");
            }
            // a key made by the coordinator is on disk before it is ready: known then
            if (Readiness.ready(http, url()) && adminKeyIfKnown() != null) {
                return;
            }
            sleep(300);
        }
        throw new IllegalStateException("the coordinator did not answer within " + timeout + ":\n" + process.logTail(60));
    }

    /** Whether Payara said, in the log written since {@code from}, that it could not deploy an archive. */
    private boolean deploymentFailed(long from) {
        try (java.io.InputStream in = Files.newInputStream(process.log())) {
            in.skipNBytes(from);
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .contains("Exception while deploying the app");
        } catch (IOException e) {
            return false;
        }
    }


    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String tcpEndpoint() {
        return "tcp://127.0.0.1:" + protoPort;
    }

    public String unixEndpoint() {
        return "unix:" + socket;
    }

    public int protoPort() {
        return protoPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** An API client that sends the admin key; {@link Api#withKey} and {@link Api#withoutKey} give others. */
    public Api api() {
        return new Api(url(), adminKey());
    }

    /** The admin key: the one given in the environment, or the one the coordinator made in its data folder. */
    public String adminKey() {
        String key = adminKeyIfKnown();
        if (key == null) {
            throw new IllegalStateException("the coordinator has not made its admin key (yet)");
        }
        return key;
    }

    private String adminKeyIfKnown() {
        if (adminKey != null) {
            return adminKey;
        }
        try {
            return Files.readString(dataDir.resolve("admin.key")).strip();
        } catch (IOException e) {
            return null;
        }
    }

    /** The worker token this coordinator was started with; null when it takes any worker. */
    public String token() {
        return "true".equals(extraEnv.get("CDNODES_INSECURE_NO_WORKER_TOKEN")) ? extraEnv.get("CDNODES_WORKER_TOKEN")
                : extraEnv.getOrDefault("CDNODES_WORKER_TOKEN", TOKEN);
    }

    /**
     * The SHA-256 fingerprint of the certificate CDProto's TLS listener presents, as the coordinator published it in
     * its data folder (what {@code ./cdnodes worker} passes on).
     */
    public String fingerprint() {
        try {
            return Files.readString(dataDir.resolve("tls").resolve("cdproto.sha256")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("the coordinator published no fingerprint", e);
        }
    }

    /** A worker process connecting with the coordinator's token (over TLS, pinning its certificate, on TCP). */
    public WorkerAgent worker(String name, boolean unix) {
        return worker(name, unix, token());
    }

    /** A worker process connecting with the given token (null: none). */
    public WorkerAgent worker(String name, boolean unix, String token) {
        return unix ? new WorkerAgent(name, unixEndpoint(), token, 1, null)
                : new WorkerAgent(name, tcpEndpoint(), token, 1, fingerprint());
    }

    /** A TCP worker with the coordinator's token that pins the given certificate fingerprint instead. */
    public WorkerAgent workerPinning(String name, String fingerprint) {
        return new WorkerAgent(name, tcpEndpoint(), token(), 1, fingerprint);
    }

    public String logTail(int lines) {
        return process == null ? "" : process.logTail(lines);
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, at once: a coordinator that dies without a chance to clean up. {@link #start()} may follow. */
    public void kill() {
        if (process != null) {
            process.kill();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
