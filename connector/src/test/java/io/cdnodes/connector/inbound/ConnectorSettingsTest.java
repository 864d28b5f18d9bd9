package io.cdnodes.connector.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.cdnodes.connector.tls.TlsSettings;
import io.cdnodes.protocol.codec.CodecLimits;
import io.cdnodes.protocol.session.SessionTimeouts;
import io.cdnodes.protocol.session.WorkerToken;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectorSettingsTest {

    private static final Map<String, String> TOKEN = Map.of("CDNODES_WORKER_TOKEN", "t0ken");

    private static ConnectorSettings with(String... pairs) {
        Map<String, String> env = new HashMap<>(TOKEN);
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return ConnectorSettings.fromEnvironment(env);
    }

    @Test
    void withOnlyATokenEverySettingHasItsDefault() {
        ConnectorSettings s = ConnectorSettings.fromEnvironment(TOKEN);

        assertThat(s.protoHost()).isEqualTo("127.0.0.1");
        assertThat(s.protoPort()).isEqualTo(7000);
        assertThat(s.socketPath()).isEqualTo(Path.of("data").toAbsolutePath().resolve("cdproto.sock"));
        assertThat(s.token().isOpen()).isFalse();
        assertThat(s.timeouts()).isEqualTo(SessionTimeouts.defaults());
        assertThat(s.limits()).isEqualTo(CodecLimits.coordinator());
        assertThat(s.limits().maxFirstPayloadBytes()).isEqualTo(8192);
        assertThat(s.maxConnections()).isEqualTo(256);
        assertThat(s.maxPendingConnections()).isEqualTo(64);
        assertThat(s.maxConnectionsPerAddress()).isEqualTo(32);
        assertThat(s.maxSlotsPerWorker()).isEqualTo(64);
        assertThat(s.socketUids()).isEmpty();
        assertThat(s.tls()).isEqualTo(new TlsSettings(true, Path.of("data").toAbsolutePath().resolve("tls"), null, null,
                List.of("localhost", "127.0.0.1", "::1")));
        assertThat(s.sendQueueBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(s.chunkBytes()).isEqualTo(1024 * 1024);
        assertThat(s.requireSandbox()).isFalse();
    }

    @Test
    void requiringASandboxIsTrueOrFalseAndNothingElse() {
        assertThat(with("CDNODES_REQUIRE_SANDBOX", "TRUE").requireSandbox())
                .isTrue();
        assertThat(with("CDNODES_REQUIRE_SANDBOX", "false").requireSandbox())
                .isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> with("CDNODES_REQUIRE_SANDBOX", "sometimes"))
                .withMessageContaining("CDNODES_REQUIRE_SANDBOX");
    }

    @Test
    void withoutATokenTheCoordinatorDoesNotStartUnlessToldThatNoneIsMeant() {
        assertThatIllegalArgumentException().isThrownBy(() -> ConnectorSettings.fromEnvironment(Map.of()))
                .withMessage("no worker token: set CDNODES_WORKER_TOKEN to a long random secret (./cdnodes makes one),"
                        + " or, on a network where everyone may run code as a worker, "
                        + "CDNODES_INSECURE_NO_WORKER_TOKEN=true");
        assertThatIllegalArgumentException().isThrownBy(() -> ConnectorSettings.fromEnvironment(
                Map.of("CDNODES_WORKER_TOKEN", " ", "CDNODES_INSECURE_NO_WORKER_TOKEN", "false")));
        assertThatIllegalArgumentException().isThrownBy(() -> ConnectorSettings.fromEnvironment(
                Map.of("CDNODES_INSECURE_NO_WORKER_TOKEN", "maybe")))
                .withMessage("CDNODES_INSECURE_NO_WORKER_TOKEN must be true or false: maybe");

        assertThat(ConnectorSettings.fromEnvironment(Map.of("CDNODES_INSECURE_NO_WORKER_TOKEN", "true")).token()
                .isOpen()).isTrue();
        assertThat(ConnectorSettings.fromEnvironment(Map.of("CDNODES_INSECURE_NO_WORKER_TOKEN", "true",
                "CDNODES_WORKER_TOKEN", "t")).token().isOpen()).as("a token given is required all the same").isFalse();
    }

    @Test
    void blankVariablesCountAsUnset() {
        ConnectorSettings s = with("CDNODES_PROTO_PORT", " ", "CDNODES_MAX_CONNECTIONS", "\t",
                "CDNODES_PROTO_TLS", "", "CDNODES_SOCKET_UIDS", " ");

        assertThat(s.protoPort()).isEqualTo(7000);
        assertThat(s.maxConnections()).isEqualTo(256);
        assertThat(s.tls().enabled()).isTrue();
        assertThat(s.socketUids()).isEmpty();
    }

    @Test
    void everyVariableIsRead() {
        ConnectorSettings s = ConnectorSettings.fromEnvironment(Map.ofEntries(
                Map.entry("CDNODES_PROTO_HOST", "10.1.2.3"),
                Map.entry("CDNODES_PROTO_PORT", "7443"),
                Map.entry("CDNODES_SOCKET", "/run/cd/w.sock"),
                Map.entry("CDNODES_DATA_DIR", "/srv/cd"),
                Map.entry("CDNODES_WORKER_TOKEN", "t0ken"),
                Map.entry("CDNODES_HANDSHAKE_TIMEOUT_MS", "2500"),
                Map.entry("CDNODES_HEARTBEAT_INTERVAL_MS", "250"),
                Map.entry("CDNODES_HEARTBEAT_TIMEOUT_MS", "750"),
                Map.entry("CDNODES_STALLED_FRAME_MS", "9000"),
                Map.entry("CDNODES_MAX_FRAME_BYTES", "65536"),
                Map.entry("CDNODES_MAX_CONNECTIONS", "3"),
                Map.entry("CDNODES_MAX_PENDING_CONNECTIONS", "5"),
                Map.entry("CDNODES_MAX_CONNECTIONS_PER_ADDRESS", "2"),
                Map.entry("CDNODES_MAX_SLOTS_PER_WORKER", "8"),
                Map.entry("CDNODES_SOCKET_UIDS", "1000, 1001,"),
                Map.entry("CDNODES_PROTO_TLS", "false"),
                Map.entry("CDNODES_TLS_KEYSTORE", "/etc/cd/tls.p12"),
                Map.entry("CDNODES_TLS_KEYSTORE_PASSWORD", "p4ss"),
                Map.entry("CDNODES_TLS_HOSTNAMES", "coordinator, cd.example.org"),
                Map.entry("CDNODES_TLS_PUBLISH_DIR", "/srv/cd-public")));

        assertThat(s.protoHost()).isEqualTo("10.1.2.3");
        assertThat(s.protoPort()).isEqualTo(7443);
        assertThat(s.socketPath()).isEqualTo(Path.of("/run/cd/w.sock"));
        assertThat(s.token().isOpen()).isFalse();
        assertThat(s.token().matches("t0ken")).isTrue();
        assertThat(s.token().matches("t0ken ")).isFalse();
        assertThat(s.timeouts()).isEqualTo(new SessionTimeouts(Duration.ofMillis(2500), Duration.ofMillis(250),
                Duration.ofMillis(750), Duration.ofMillis(9000)));
        assertThat(s.limits()).isEqualTo(new CodecLimits(65536, CodecLimits.DEFAULT_MAX_LIST_ITEMS, 8192));
        assertThat(s.maxConnections()).isEqualTo(3);
        assertThat(s.maxPendingConnections()).isEqualTo(5);
        assertThat(s.maxConnectionsPerAddress()).isEqualTo(2);
        assertThat(s.maxSlotsPerWorker()).isEqualTo(8);
        assertThat(s.socketUids()).containsExactlyInAnyOrder(1000, 1001);
        assertThat(s.tls()).isEqualTo(new TlsSettings(false, Path.of("/srv/cd/tls"), Path.of("/etc/cd/tls.p12"), "p4ss",
                List.of("localhost", "127.0.0.1", "::1", "10.1.2.3", "coordinator", "cd.example.org"),
                Path.of("/srv/cd-public")));
        assertThat(s.tls().publishesApart()).isTrue();
        assertThat(s.toString()).doesNotContain("t0ken").doesNotContain("p4ss");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::"})
    void aWildcardBindAddressIsNoNameForTheCertificate(String host) {
        assertThat(with("CDNODES_PROTO_HOST", host).tls().names()).containsExactly("localhost", "127.0.0.1", "::1");
    }

    @Test
    void theSocketFollowsTheDataDirectoryAndCanBeSwitchedOff() {
        assertThat(with("CDNODES_DATA_DIR", "/srv/cd").socketPath()).isEqualTo(Path.of("/srv/cd/cdproto.sock"));
        assertThat(with("CDNODES_SOCKET", "off").socketPath()).isNull();
    }

    @Test
    void portZeroPicksAFreePortAndTheEdgesAreAccepted() {
        assertThat(with("CDNODES_PROTO_PORT", "0").protoPort()).isZero();
        assertThat(with("CDNODES_PROTO_PORT", "65535").protoPort()).isEqualTo(65535);
        assertThat(with("CDNODES_MAX_CONNECTIONS", "1").maxConnections()).isEqualTo(1);
        assertThat(with("CDNODES_MAX_FRAME_BYTES", "1024").limits().maxPayloadBytes()).isEqualTo(1024);
        assertThat(with("CDNODES_MAX_FRAME_BYTES", "1024").limits().maxFirstPayloadBytes()).isEqualTo(1024);
        assertThat(with("CDNODES_MAX_SLOTS_PER_WORKER", "65535").maxSlotsPerWorker()).isEqualTo(65535);
        assertThat(with("CDNODES_SOCKET_UIDS", "0").socketUids()).containsExactly(0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "CDNODES_PROTO_PORT            | seven | CDNODES_PROTO_PORT must be a whole number: seven",
        "CDNODES_PROTO_PORT            | -1    | CDNODES_PROTO_PORT must be 0..65535: -1",
        "CDNODES_PROTO_PORT            | 65536 | CDNODES_PROTO_PORT must be 0..65535: 65536",
        "CDNODES_HANDSHAKE_TIMEOUT_MS  | soon  | CDNODES_HANDSHAKE_TIMEOUT_MS must be a whole number: soon",
        "CDNODES_HANDSHAKE_TIMEOUT_MS  | 0     | CDNODES_HANDSHAKE_TIMEOUT_MS must be a positive number of milliseconds: 0",
        "CDNODES_HEARTBEAT_INTERVAL_MS | -5    | CDNODES_HEARTBEAT_INTERVAL_MS must be a positive number of milliseconds: -5",
        "CDNODES_HEARTBEAT_INTERVAL_MS | 3000  | CDNODES_HEARTBEAT_TIMEOUT_MS and CDNODES_HEARTBEAT_INTERVAL_MS: idle timeout",
        "CDNODES_HEARTBEAT_TIMEOUT_MS  | 1999  | CDNODES_HEARTBEAT_TIMEOUT_MS and CDNODES_HEARTBEAT_INTERVAL_MS: idle timeout",
        "CDNODES_STALLED_FRAME_MS      | 1.5   | CDNODES_STALLED_FRAME_MS must be a whole number: 1.5",
        "CDNODES_MAX_FRAME_BYTES       | 1023  | CDNODES_MAX_FRAME_BYTES must be at least 1024: 1023",
        "CDNODES_MAX_FRAME_BYTES       | 8MiB  | CDNODES_MAX_FRAME_BYTES must be a whole number: 8MiB",
        "CDNODES_MAX_CONNECTIONS       | 0     | CDNODES_MAX_CONNECTIONS must be at least 1: 0",
        "CDNODES_MAX_CONNECTIONS       | -3    | CDNODES_MAX_CONNECTIONS must be at least 1: -3",
        "CDNODES_MAX_CONNECTIONS       | many  | CDNODES_MAX_CONNECTIONS must be a whole number: many",
        "CDNODES_MAX_PENDING_CONNECTIONS | 0   | CDNODES_MAX_PENDING_CONNECTIONS must be at least 1: 0",
        "CDNODES_MAX_CONNECTIONS_PER_ADDRESS | 0 | CDNODES_MAX_CONNECTIONS_PER_ADDRESS must be at least 1: 0",
        "CDNODES_MAX_SLOTS_PER_WORKER  | 0     | CDNODES_MAX_SLOTS_PER_WORKER must be 1..65535: 0",
        "CDNODES_MAX_SLOTS_PER_WORKER  | 65536 | CDNODES_MAX_SLOTS_PER_WORKER must be 1..65535: 65536",
        "CDNODES_SOCKET_UIDS           | me    | CDNODES_SOCKET_UIDS must be a whole number: me",
        "CDNODES_SOCKET_UIDS           | 1,-2  | CDNODES_SOCKET_UIDS must list uids (whole numbers >= 0): 1,-2",
        "CDNODES_PROTO_TLS             | sure  | CDNODES_PROTO_TLS must be true or false: sure",
    })
    void invalidValuesAreRefusedNamingTheVariable(String variable, String value, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> with(variable, value)).withMessageStartingWith(message);
    }

    @Test
    void theRecordRefusesSettingsThatCannotWork() {
        SessionTimeouts t = SessionTimeouts.defaults();
        CodecLimits l = CodecLimits.defaults();
        WorkerToken none = WorkerToken.none();
        TlsSettings tls = new TlsSettings(false, Path.of("/tmp/tls"), null, null, List.of());
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ConnectorSettings(" ", 0, null, none, t, l, 1, 1, 1, 1, Set.of(), tls, 1, 1))
                .withMessage("CDNODES_PROTO_HOST must name an address");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ConnectorSettings("h", 0, null, none, t, l, 1, 1, 1, 1, Set.of(), tls, 0, 1))
                .withMessage("sendQueueBytes must be positive: 0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ConnectorSettings("h", 0, null, none, t, l, 1, 1, 1, 1, Set.of(), tls, 1,
                        8 * 1024 * 1024))
                .withMessage("chunkBytes must be 1..8388528: 8388608");
        assertThat(new ConnectorSettings("h", 0, null, none, t, l, 1, 1, 1, 1, Set.of(), tls, 1, 8388528).chunkBytes())
                .isEqualTo(8388528);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TlsSettings(true, Path.of("/tmp"), Path.of("/k.p12"), null, List.of()))
                .withMessage("CDNODES_TLS_KEYSTORE needs CDNODES_TLS_KEYSTORE_PASSWORD");
    }
}
