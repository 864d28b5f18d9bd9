package io.cdnodes.connector.inbound;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Where the adapter's settings come from, by their {@code CDNODES_*} names, first found first: the adapter's own
 * config properties (ra.xml; on Payara Server set under Resource Adapter Configs or with {@code asadmin
 * create-resource-adapter-config}), then MicroProfile Config as the application reads it (environment variables,
 * {@code -D} system properties, {@code microprofile-config.properties}, and on Payara Server
 * {@code asadmin set-config-property}). Without a MicroProfile Config implementation (unit tests, a plain JVM) the
 * environment and the system properties are read directly.
 */
public final class SettingSources {

    /**
     * The adapter's config properties (ra.xml) and the setting each one gives. The worker token, the switch that
     * allows none and the keystore's password are not among them: a secret is not kept in domain.xml in clear.
     * Settings the application reads too (the data folder, the heartbeat timeout) are left to MicroProfile Config,
     * so that both sides read the same value.
     */
    public static final Map<String, String> ADAPTER_PROPERTIES = properties(
            "ProtoHost", "CDNODES_PROTO_HOST",
            "ProtoPort", "CDNODES_PROTO_PORT",
            "Socket", "CDNODES_SOCKET",
            "SocketUids", "CDNODES_SOCKET_UIDS",
            "ProtoTls", "CDNODES_PROTO_TLS",
            "TlsHostnames", "CDNODES_TLS_HOSTNAMES",
            "TlsPublishDir", "CDNODES_TLS_PUBLISH_DIR",
            "MaxConnections", "CDNODES_MAX_CONNECTIONS",
            "MaxPendingConnections", "CDNODES_MAX_PENDING_CONNECTIONS",
            "MaxConnectionsPerAddress", "CDNODES_MAX_CONNECTIONS_PER_ADDRESS",
            "MaxSlotsPerWorker", "CDNODES_MAX_SLOTS_PER_WORKER",
            "MaxFrameBytes", "CDNODES_MAX_FRAME_BYTES",
            "HandshakeTimeoutMs", "CDNODES_HANDSHAKE_TIMEOUT_MS",
            "HeartbeatIntervalMs", "CDNODES_HEARTBEAT_INTERVAL_MS",
            "StalledFrameMs", "CDNODES_STALLED_FRAME_MS",
            "RequireSandbox", "CDNODES_REQUIRE_SANDBOX");

    private SettingSources() {
    }

    /**
     * @param adapterProperties the adapter's config properties that were set, by property name ({@code ProtoPort})
     * @param configured        the next source: a setting's value by its {@code CDNODES_*} name, or null
     * @return the value of a setting by its {@code CDNODES_*} name; null when no source has a non-blank one
     */
    static Function<String, String> of(Map<String, String> adapterProperties, Function<String, String> configured) {
        Map<String, String> byName = new LinkedHashMap<>();
        adapterProperties.forEach((property, value) -> {
            String name = ADAPTER_PROPERTIES.get(property);
            if (name == null) {
                throw new IllegalArgumentException("no such adapter property: " + property);
            }
            if (value != null && !value.isBlank()) {
                byName.put(name, value.trim());
            }
        });
        return name -> {
            String v = byName.get(name);
            if (v != null) {
                return v;
            }
            String c = configured.apply(name);
            return c == null || c.isBlank() ? null : c.trim();
        };
    }

    /** MicroProfile Config as seen from the adapter's class loader, or the environment and system properties. */
    static Function<String, String> configured() {
        Optional<Config> config = microProfileConfig();
        if (config.isPresent()) {
            Config c = config.get();
            return name -> c.getOptionalValue(name, String.class).orElse(null);
        }
        return name -> {
            String p = System.getProperty(name);
            return p != null ? p : System.getenv(name);
        };
    }

    private static Optional<Config> microProfileConfig() {
        try {
            return Optional.of(ConfigProvider.getConfig(SettingSources.class.getClassLoader()));
        } catch (RuntimeException | LinkageError e) { // no implementation here
            return Optional.empty();
        }
    }

    private static Map<String, String> properties(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
