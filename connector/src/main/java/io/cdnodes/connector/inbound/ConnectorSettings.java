package io.cdnodes.connector.inbound;

import io.cdnodes.protocol.codec.CodecLimits;
import io.cdnodes.protocol.session.SessionTimeouts;
import io.cdnodes.protocol.session.WorkerToken;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Everything the adapter is configured with, read once at start from environment variables (each with a
 * default) and validated. See the README's configuration table.
 *
 * @param protoHost        address the TCP listener binds ({@code CDNODES_PROTO_HOST}, 127.0.0.1)
 * @param protoPort        its port ({@code CDNODES_PROTO_PORT}, 7000; 0 picks a free port)
 * @param socketPath       the Unix socket ({@code CDNODES_SOCKET}, {@code $CDNODES_DATA_DIR/cdproto.sock});
 *                         null when disabled with the value {@code off}
 * @param token            the worker token ({@code CDNODES_WORKER_TOKEN}; none when unset)
 * @param timeouts         handshake, heartbeat, idle and stalled-frame deadlines
 * @param limits           what this side accepts ({@code CDNODES_MAX_FRAME_BYTES}, 8 MiB), announced in WELCOME
 * @param maxConnections   connections held at most ({@code CDNODES_MAX_CONNECTIONS}, 256)
 * @param sendQueueBytes   bytes queued per connection before it is closed as a slow reader
 * @param chunkBytes       package chunk size
 * @param requireSandbox   refuse workers whose HELLO says they do not sandbox their runs
 *                         ({@code CDNODES_REQUIRE_SANDBOX}, false)
 */
public record ConnectorSettings(String protoHost, int protoPort, Path socketPath, WorkerToken token,
                                SessionTimeouts timeouts, CodecLimits limits, int maxConnections,
                                long sendQueueBytes, int chunkBytes, boolean requireSandbox) {

    /** PACKAGE_CHUNK's fields besides its data: pkgid (68), offset (8) and the data's length (4). */
    private static final int CHUNK_OVERHEAD = 80;

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
        if (maxConnections < 1) {
            throw new IllegalArgumentException("CDNODES_MAX_CONNECTIONS must be at least 1: " + maxConnections);
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
                             SessionTimeouts timeouts, CodecLimits limits, int maxConnections, long sendQueueBytes,
                             int chunkBytes) {
        this(protoHost, protoPort, socketPath, token, timeouts, limits, maxConnections, sendQueueBytes, chunkBytes,
                false);
    }

    public static ConnectorSettings fromEnvironment(Map<String, String> env) {
        Function<String, String> get = key -> {
            String v = env.get(key);
            return v == null || v.isBlank() ? null : v.trim();
        };
        Path dataDir = Path.of(orDefault(get.apply("CDNODES_DATA_DIR"), "data")).toAbsolutePath();
        String socket = orDefault(get.apply("CDNODES_SOCKET"), dataDir.resolve("cdproto.sock").toString());
        String token = get.apply("CDNODES_WORKER_TOKEN");
        Duration handshake = millis(get, "CDNODES_HANDSHAKE_TIMEOUT_MS", SessionTimeouts.DEFAULT_HANDSHAKE);
        Duration interval = millis(get, "CDNODES_HEARTBEAT_INTERVAL_MS", SessionTimeouts.DEFAULT_HEARTBEAT_INTERVAL);
        Duration idle = millis(get, "CDNODES_HEARTBEAT_TIMEOUT_MS", SessionTimeouts.DEFAULT_IDLE);
        Duration stalled = millis(get, "CDNODES_STALLED_FRAME_MS", SessionTimeouts.DEFAULT_STALLED_FRAME);
        SessionTimeouts timeouts;
        try {
            timeouts = new SessionTimeouts(handshake, interval, idle, stalled);
        } catch (IllegalArgumentException e) { // the timeout is shorter than twice the interval
            throw new IllegalArgumentException("CDNODES_HEARTBEAT_TIMEOUT_MS and CDNODES_HEARTBEAT_INTERVAL_MS: "
                    + e.getMessage(), e);
        }
        int maxFrame = intValue(get.apply("CDNODES_MAX_FRAME_BYTES"), CodecLimits.DEFAULT_MAX_PAYLOAD_BYTES,
                "CDNODES_MAX_FRAME_BYTES");
        if (maxFrame < 1024) {
            throw new IllegalArgumentException("CDNODES_MAX_FRAME_BYTES must be at least 1024: " + maxFrame);
        }
        return new ConnectorSettings(
                orDefault(get.apply("CDNODES_PROTO_HOST"), "127.0.0.1"),
                intValue(get.apply("CDNODES_PROTO_PORT"), 7000, "CDNODES_PROTO_PORT"),
                "off".equals(socket) ? null : Path.of(socket).toAbsolutePath(),
                token == null ? WorkerToken.none() : WorkerToken.of(token),
                timeouts,
                CodecLimits.defaults().withMaxPayloadBytes(maxFrame),
                intValue(get.apply("CDNODES_MAX_CONNECTIONS"), 256, "CDNODES_MAX_CONNECTIONS"),
                64L * 1024 * 1024,
                1024 * 1024,
                booleanValue(get.apply("CDNODES_REQUIRE_SANDBOX"), "CDNODES_REQUIRE_SANDBOX"));
    }

    private static boolean booleanValue(String v, String name) {
        if (v == null || v.equalsIgnoreCase("false")) {
            return false;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        throw new IllegalArgumentException(name + " must be true or false: " + v);
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
