package io.cdnodes.connector.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.cdnodes.protocol.codec.CodecLimits;
import io.cdnodes.protocol.session.SessionTimeouts;
import io.cdnodes.protocol.session.WorkerToken;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectorSettingsTest {

    @Test
    void withoutVariablesEverySettingHasItsDefault() {
        ConnectorSettings s = ConnectorSettings.fromEnvironment(Map.of());

        assertThat(s.protoHost()).isEqualTo("127.0.0.1");
        assertThat(s.protoPort()).isEqualTo(7000);
        assertThat(s.socketPath()).isEqualTo(Path.of("data").toAbsolutePath().resolve("cdproto.sock"));
        assertThat(s.token().isOpen()).isTrue();
        assertThat(s.timeouts()).isEqualTo(SessionTimeouts.defaults());
        assertThat(s.limits()).isEqualTo(CodecLimits.defaults());
        assertThat(s.maxConnections()).isEqualTo(256);
        assertThat(s.sendQueueBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(s.chunkBytes()).isEqualTo(1024 * 1024);
        assertThat(s.requireSandbox()).isFalse();
    }

    @Test
    void requiringASandboxIsTrueOrFalseAndNothingElse() {
        assertThat(ConnectorSettings.fromEnvironment(Map.of("CDNODES_REQUIRE_SANDBOX", "TRUE")).requireSandbox())
                .isTrue();
        assertThat(ConnectorSettings.fromEnvironment(Map.of("CDNODES_REQUIRE_SANDBOX", "false")).requireSandbox())
                .isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> ConnectorSettings.fromEnvironment(
                Map.of("CDNODES_REQUIRE_SANDBOX", "yes"))).withMessageContaining("CDNODES_REQUIRE_SANDBOX");
    }

    @Test
    void blankVariablesCountAsUnset() {
        ConnectorSettings s = ConnectorSettings.fromEnvironment(Map.of("CDNODES_PROTO_PORT", " ",
                "CDNODES_WORKER_TOKEN", "", "CDNODES_MAX_CONNECTIONS", "\t"));

        assertThat(s.protoPort()).isEqualTo(7000);
        assertThat(s.token().isOpen()).isTrue();
        assertThat(s.maxConnections()).isEqualTo(256);
    }

    @Test
    void everyVariableIsRead() {
        ConnectorSettings s = ConnectorSettings.fromEnvironment(Map.ofEntries(
                Map.entry("CDNODES_PROTO_HOST", "0.0.0.0"),
                Map.entry("CDNODES_PROTO_PORT", "7443"),
                Map.entry("CDNODES_SOCKET", "/run/cd/w.sock"),
                Map.entry("CDNODES_WORKER_TOKEN", "t0ken"),
                Map.entry("CDNODES_HANDSHAKE_TIMEOUT_MS", "2500"),
                Map.entry("CDNODES_HEARTBEAT_INTERVAL_MS", "250"),
                Map.entry("CDNODES_HEARTBEAT_TIMEOUT_MS", "750"),
                Map.entry("CDNODES_STALLED_FRAME_MS", "9000"),
                Map.entry("CDNODES_MAX_FRAME_BYTES", "65536"),
                Map.entry("CDNODES_MAX_CONNECTIONS", "3")));

        assertThat(s.protoHost()).isEqualTo("0.0.0.0");
        assertThat(s.protoPort()).isEqualTo(7443);
        assertThat(s.socketPath()).isEqualTo(Path.of("/run/cd/w.sock"));
        assertThat(s.token().isOpen()).isFalse();
        assertThat(s.token().matches("t0ken")).isTrue();
        assertThat(s.token().matches("t0ken ")).isFalse();
        assertThat(s.timeouts()).isEqualTo(new SessionTimeouts(Duration.ofMillis(2500), Duration.ofMillis(250),
                Duration.ofMillis(750), Duration.ofMillis(9000)));
        assertThat(s.limits()).isEqualTo(new CodecLimits(65536, CodecLimits.DEFAULT_MAX_LIST_ITEMS));
        assertThat(s.maxConnections()).isEqualTo(3);
        assertThat(s.toString()).doesNotContain("t0ken");
    }

    @Test
    void theSocketFollowsTheDataDirectoryAndCanBeSwitchedOff() {
        assertThat(ConnectorSettings.fromEnvironment(Map.of("CDNODES_DATA_DIR", "/srv/cd")).socketPath())
                .isEqualTo(Path.of("/srv/cd/cdproto.sock"));
        assertThat(ConnectorSettings.fromEnvironment(Map.of("CDNODES_SOCKET", "off")).socketPath()).isNull();
    }

    @Test
    void portZeroPicksAFreePortAndTheEdgesAreAccepted() {
        assertThat(ConnectorSettings.fromEnvironment(Map.of("CDNODES_PROTO_PORT", "0")).protoPort()).isZero();
        assertThat(ConnectorSettings.fromEnvironment(Map.of("CDNODES_PROTO_PORT", "65535")).protoPort())
                .isEqualTo(65535);
        assertThat(ConnectorSettings.fromEnvironment(Map.of("CDNODES_MAX_CONNECTIONS", "1")).maxConnections())
                .isEqualTo(1);
        assertThat(ConnectorSettings.fromEnvironment(Map.of("CDNODES_MAX_FRAME_BYTES", "1024")).limits()
                .maxPayloadBytes()).isEqualTo(1024);
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
    })
    void invalidValuesAreRefusedNamingTheVariable(String variable, String value, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> ConnectorSettings.fromEnvironment(Map.of(variable, value)))
                .withMessageStartingWith(message);
    }

    @Test
    void theRecordRefusesSettingsThatCannotWork() {
        SessionTimeouts t = SessionTimeouts.defaults();
        CodecLimits l = CodecLimits.defaults();
        WorkerToken none = WorkerToken.none();
        assertThatIllegalArgumentException().isThrownBy(() -> new ConnectorSettings(" ", 0, null, none, t, l, 1, 1, 1))
                .withMessage("CDNODES_PROTO_HOST must name an address");
        assertThatIllegalArgumentException().isThrownBy(() -> new ConnectorSettings("h", 0, null, none, t, l, 1, 0, 1))
                .withMessage("sendQueueBytes must be positive: 0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ConnectorSettings("h", 0, null, none, t, l, 1, 1, 8 * 1024 * 1024))
                .withMessage("chunkBytes must be 1..8388528: 8388608");
        assertThat(new ConnectorSettings("h", 0, null, none, t, l, 1, 1, 8388528).chunkBytes()).isEqualTo(8388528);
    }
}
