package io.cdnodes.connector.inbound;

import io.cdnodes.connector.tls.TlsSettings;
import io.cdnodes.protocol.codec.CodecLimits;
import io.cdnodes.protocol.session.SessionTimeouts;
import io.cdnodes.protocol.session.WorkerToken;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything the adapter is configured with, read once at start (each with a default) and validated: from its
 * ra.xml config properties and MicroProfile Config ({@link SettingSources}), by the names of the README's
 * configuration table.
 *
 * @param protoHost        address the TCP listener binds ({@code CDNODES_PROTO_HOST}, 127.0.0.1)
 * @param protoPort        its port ({@code CDNODES_PROTO_PORT}, 7000; 0 picks a free port)
 * @param socketPath       the Unix socket ({@code CDNODES_SOCKET}, {@code $CDNODES_DATA_DIR/cdproto.sock});
 *                         null when disabled with the value {@code off}
 * @param token            the worker token ({@code CDNODES_WORKER_TOKEN}); {@link WorkerToken#none()} only when
 *                         {@code CDNODES_INSECURE_NO_WORKER_TOKEN=true}
 * @param timeouts         handshake, heartbeat, idle and stalled-frame deadlines
 * @param limits           what this side accepts ({@code CDNODES_MAX_FRAME_BYTES}, 8 MiB, announced in WELCOME;
 *                         a connection's first frame, the HELLO, at most 8 KiB)
 * @param maxConnections   workers connected at most ({@code CDNODES_MAX_CONNECTIONS}, 256): established
 *                         connections, those still in their handshake not counted
 * @param maxPendingConnections TCP connections held at most that have not finished their TLS handshake and HELLO
 *                         ({@code CDNODES_MAX_PENDING_CONNECTIONS}, 64)
 * @param maxConnectionsPerAddress TCP connections held at most from one IP address, or one IPv6 /64
 *                         ({@code CDNODES_MAX_CONNECTIONS_PER_ADDRESS}, 32)
 * @param maxSlotsPerWorker the most slots the coordinator uses of what a worker announces
 *                         ({@code CDNODES_MAX_SLOTS_PER_WORKER}, 64)
 * @param socketUids       uids allowed on the Unix socket besides the coordinator's own ({@code CDNODES_SOCKET_UIDS})
 * @param tls              TLS on the TCP listener ({@code CDNODES_PROTO_TLS}, {@code CDNODES_TLS_*}, among them
 *                         {@code CDNODES_TLS_PUBLISH_DIR}: where workers read the certificate, without the key)
 * @param sendQueueBytes   bytes queued per connection before it is closed as a slow reader
 * @param chunkBytes       package chunk size
 * @param requireSandbox   refuse workers whose HELLO says they do not sandbox their runs
 *                         ({@code CDNODES_REQUIRE_SANDBOX}, false)
 */
public record ConnectorSettings(String protoHost, int protoPort, Path socketPath, WorkerToken token,
                                SessionTimeouts timeouts, CodecLimits limits, int maxConnections,
                                int maxPendingConnections, int maxConnectionsPerAddress, int maxSlotsPerWorker,
                                Set<Integer> socketUids,
                                TlsSettings tls, long sendQueueBytes, int chunkBytes, boolean requireSandbox) {

    /** PACKAGE_CHUNK's fields besides its data: pkgid (68), offset (8) and the data's length (4). */
    private static final int CHUNK_OVERHEAD = 80;
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final int DEFAULT_MAX_PENDING_CONNECTIONS = 64;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 32;
    public static final int DEFAULT_MAX_SLOTS_PER_WORKER = 64;
    /** The names a generated certificate always gives: what a worker on the coordinator's machine dials. */
    static final List<String> LOCAL_NAMES = List.of("localhost", "127.0.0.1", "::1");

    public ConnectorSettings {
        if (protoHost == null || protoHost.isBlank()) {
            throw new IllegalArgumentException("CDNODES_PROTO_HOST must name an address");
        }
        if (protoPort < 0 || protoPort > 65535) {
            throw new IllegalArgumentException("CDNODES_PROTO_PORT must be 0..65535: " + protoPort);
        }
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(tls, "tls");
        socketUids = Set.copyOf(socketUids);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("CDNODES_MAX_CONNECTIONS must be at least 1: " + maxConnections);
        }
        if (maxPendingConnections < 1) {
            throw new IllegalArgumentException("CDNODES_MAX_PENDING_CONNECTIONS must be at least 1: "
                    + maxPendingConnections);
        }
        if (maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("CDNODES_MAX_CONNECTIONS_PER_ADDRESS must be at least 1: "
                    + maxConnectionsPerAddress);
        }
        if (maxSlotsPerWorker < 1 || maxSlotsPerWorker > 65535) {
            throw new IllegalArgumentException("CDNODES_MAX_SLOTS_PER_WORKER must be 1..65535: " + maxSlotsPerWorker);
        }
        if (sendQueueBytes < 1) {
            throw new IllegalArgumentException("sendQueueBytes must be positive: " + sendQueueBytes);
        }
        // chunks go to a worker, whose decoder accepts the protocol's default payload limit
        if (chunkBytes < 1 || chunkBytes > CodecLimits.DEFAULT_MAX_PAYLOAD_BYTES - CHUNK_OVERHEAD) {
            throw new IllegalArgumentException("chunkBytes must be 1.." + (CodecLimits.DEFAULT_MAX_PAYLOAD_BYTES
                    - CHUNK_OVERHEAD) + ": " + chunkBytes);
        }
    }

    /** Settings that accept unsandboxed workers. */
    public ConnectorSettings(String protoHost, int protoPort, Path socketPath, WorkerToken token,
                             SessionTimeouts timeouts, CodecLimits limits, int maxConnections,
                             int maxPendingConnections, int maxConnectionsPerAddress, int maxSlotsPerWorker,
                             Set<Integer> socketUids, TlsSettings tls, long sendQueueBytes, int chunkBytes) {
        this(protoHost, protoPort, socketPath, token, timeouts, limits, maxConnections, maxPendingConnections,
                maxConnectionsPerAddress, maxSlotsPerWorker, socketUids, tls, sendQueueBytes, chunkBytes, false);
    }

    /**
     * Reads and checks the environment.
     *
     * @throws IllegalArgumentException naming the variable at fault, also when there is no worker token and
     *                                  {@code CDNODES_INSECURE_NO_WORKER_TOKEN} does not say that is meant
     */
    public static ConnectorSettings fromEnvironment(Map<String, String> env) {
        return from(key -> {
            String v = env.get(key);
            return v == null || v.isBlank() ? null : v.trim();
        });
    }

    /**
     * Reads and checks the settings from a source ({@link SettingSources}): a setting's value by its
     * {@code CDNODES_*} name, null when it is not set.
     *
     * @throws IllegalArgumentException as {@link #fromEnvironment(Map)}
     */
    public static ConnectorSettings from(Function<String, String> get) {
        Path dataDir = Path.of(orDefault(get.apply("CDNODES_DATA_DIR"), "data")).toAbsolutePath();
        String socket = orDefault(get.apply("CDNODES_SOCKET"), dataDir.resolve("cdproto.sock").toString());
        int maxFrame = intValue(get.apply("CDNODES_MAX_FRAME_BYTES"), CodecLimits.DEFAULT_MAX_PAYLOAD_BYTES,
                "CDNODES_MAX_FRAME_BYTES");
        if (maxFrame < 1024) {
            throw new IllegalArgumentException("CDNODES_MAX_FRAME_BYTES must be at least 1024: " + maxFrame);
        }
        String host = orDefault(get.apply("CDNODES_PROTO_HOST"), "127.0.0.1");
        return new ConnectorSettings(
                host,
                intValue(get.apply("CDNODES_PROTO_PORT"), 7000, "CDNODES_PROTO_PORT"),
                "off".equals(socket) ? null : Path.of(socket).toAbsolutePath(),
                token(get),
                timeouts(get),
                CodecLimits.coordinator().withMaxPayloadBytes(maxFrame),
                intValue(get.apply("CDNODES_MAX_CONNECTIONS"), DEFAULT_MAX_CONNECTIONS, "CDNODES_MAX_CONNECTIONS"),
                intValue(get.apply("CDNODES_MAX_PENDING_CONNECTIONS"), DEFAULT_MAX_PENDING_CONNECTIONS,
                        "CDNODES_MAX_PENDING_CONNECTIONS"),
                intValue(get.apply("CDNODES_MAX_CONNECTIONS_PER_ADDRESS"), DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
                        "CDNODES_MAX_CONNECTIONS_PER_ADDRESS"),
                intValue(get.apply("CDNODES_MAX_SLOTS_PER_WORKER"), DEFAULT_MAX_SLOTS_PER_WORKER,
                        "CDNODES_MAX_SLOTS_PER_WORKER"),
                uids(get.apply("CDNODES_SOCKET_UIDS")),
                tls(get, dataDir, host),
                64L * 1024 * 1024,
                1024 * 1024,
                flag(get, "CDNODES_REQUIRE_SANDBOX", false));
    }

    private static WorkerToken token(Function<String, String> get) {
        String token = get.apply("CDNODES_WORKER_TOKEN");
        if (token != null) {
            return WorkerToken.of(token);
        }
        if (flag(get, "CDNODES_INSECURE_NO_WORKER_TOKEN", false)) {
            return WorkerToken.none();
        }
        throw new IllegalArgumentException("no worker token: set CDNODES_WORKER_TOKEN to a long random secret "
                + "(./cdnodes makes one), or, on a network where everyone may run code as a worker, "
                + "CDNODES_INSECURE_NO_WORKER_TOKEN=true");
    }

    private static SessionTimeouts timeouts(Function<String, String> get) {
        Duration handshake = millis(get, "CDNODES_HANDSHAKE_TIMEOUT_MS", SessionTimeouts.DEFAULT_HANDSHAKE);
        Duration interval = millis(get, "CDNODES_HEARTBEAT_INTERVAL_MS", SessionTimeouts.DEFAULT_HEARTBEAT_INTERVAL);
        Duration idle = millis(get, "CDNODES_HEARTBEAT_TIMEOUT_MS", SessionTimeouts.DEFAULT_IDLE);
        Duration stalled = millis(get, "CDNODES_STALLED_FRAME_MS", SessionTimeouts.DEFAULT_STALLED_FRAME);
        try {
            return new SessionTimeouts(handshake, interval, idle, stalled);
        } catch (IllegalArgumentException e) { // the timeout is shorter than twice the interval
            throw new IllegalArgumentException("CDNODES_HEARTBEAT_TIMEOUT_MS and CDNODES_HEARTBEAT_INTERVAL_MS: "
                    + e.getMessage(), e);
        }
    }

    private static TlsSettings tls(Function<String, String> get, Path dataDir, String protoHost) {
        String keystore = get.apply("CDNODES_TLS_KEYSTORE");
        Set<String> names = new LinkedHashSet<>(LOCAL_NAMES);
        if (!protoHost.equals("0.0.0.0") && !protoHost.equals("::") && !protoHost.equals("[::]")) {
            names.add(protoHost);
        }
        String extra = get.apply("CDNODES_TLS_HOSTNAMES");
        if (extra != null) {
            for (String n : extra.split(",")) {
                if (!n.isBlank()) {
                    names.add(n.trim());
                }
            }
        }
        String publish = get.apply("CDNODES_TLS_PUBLISH_DIR");
        return new TlsSettings(flag(get, "CDNODES_PROTO_TLS", true), dataDir.resolve("tls"),
                keystore == null ? null : Path.of(keystore).toAbsolutePath(),
                keystore == null ? null : orDefault(get.apply("CDNODES_TLS_KEYSTORE_PASSWORD"), ""),
                new ArrayList<>(names), publish == null ? dataDir.resolve("tls") : Path.of(publish).toAbsolutePath());
    }

    private static Set<Integer> uids(String v) {
        Set<Integer> out = new LinkedHashSet<>();
        if (v == null) {
            return out;
        }
        for (String part : v.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int uid = intValue(part.trim(), 0, "CDNODES_SOCKET_UIDS");
            if (uid < 0) {
                throw new IllegalArgumentException("CDNODES_SOCKET_UIDS must list uids (whole numbers >= 0): " + v);
            }
            out.add(uid);
        }
        return out;
    }

    private static boolean flag(Function<String, String> get, String name, boolean d) {
        String v = get.apply(name);
        if (v == null) {
            return d;
        }
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false: " + v);
        };
    }

    private static String orDefault(String v, String d) {
        return v == null ? d : v;
    }

    private static Duration millis(Function<String, String> get, String name, Duration d) {
        String v = get.apply(name);
        if (v == null) {
            return d;
        }
        int ms = intValue(v, 0, name);
        if (ms < 1) {
            throw new IllegalArgumentException(name + " must be a positive number of milliseconds: " + v);
        }
        return Duration.ofMillis(ms);
    }

    private static int intValue(String v, int d, String name) {
        if (v == null) {
            return d;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number: " + v, e);
        }
    }
}
