package io.cdnodes.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.cdnodes.protocol.tls.CoordinatorTrust;
import io.cdnodes.protocol.tls.Fingerprint;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

    private static final Endpoint TCP = new Endpoint.Tcp("127.0.0.1", 7000);
    private static final Path DIR = Path.of("/var/lib/cdnodes/w1");
    private static final Duration MS_200 = Duration.ofMillis(200);
    private static final Duration S_5 = Duration.ofSeconds(5);
    private static final Fingerprint FINGERPRINT = Fingerprint.parse("ab".repeat(32));

    private static AgentConfig config(String token, String name, int slots) {
        return new AgentConfig(TCP, token, name, slots, DIR, "python3", 32, 1 << 30, MS_200, S_5, 256 * 1024, 4000,
                CoordinatorTrust.pinned(FINGERPRINT), false, token.isEmpty());
    }

    @Test
    void aValidConfigurationKeepsItsValues() {
        AgentConfig c = config("s3cret", "w1", 4);

        assertThat(c.coordinator()).isEqualTo(TCP);
        assertThat(c.token()).isEqualTo("s3cret");
        assertThat(c.name()).isEqualTo("w1");
        assertThat(c.slots()).isEqualTo(4);
        assertThat(c.maxPackageBytes()).isEqualTo(1L << 30);
    }

    @Test
    void toStringNeverShowsTheToken() {
        AgentConfig c = config("s3cret-Token-42", "w1", 1);

        assertThat(c.toString()).doesNotContain("s3cret").contains("token=<redacted>").isEqualTo(
                "AgentConfig[coordinator=tcp://127.0.0.1:7000, token=<redacted>, name=w1, slots=1, "
                        + "workDir=/var/lib/cdnodes/w1, python=python3, tls=the certificate with SHA-256 fingerprint "
                        + FINGERPRINT + ", sandbox=AUTO]");
        assertThat(config("", "w1", 1).toString()).contains("token=<none>");
    }

    @Test
    void theNameMustBeOneToTwoHundredCharactersAndNotBlank() {
        assertThat(config("", "n".repeat(200), 1).name()).hasSize(200);
        assertThat(config("", "x", 1).name()).isEqualTo("x");
        for (String bad : new String[] {null, "", "   ", "n".repeat(201)}) {
            assertThatIllegalArgumentException().isThrownBy(() -> config("", bad, 1))
                    .withMessage("worker name must be 1..200 characters");
        }
    }

    @Test
    void slotsMustBeOneTo256() {
        assertThat(config("", "w", 1).slots()).isEqualTo(1);
        assertThat(config("", "w", 256).slots()).isEqualTo(256);
        assertThatIllegalArgumentException().isThrownBy(() -> config("", "w", 0)).withMessage("slots must be 1..256: 0");
        assertThatIllegalArgumentException().isThrownBy(() -> config("", "w", 257))
                .withMessage("slots must be 1..256: 257");
    }

    @Test
    void requiredValuesMustBeGiven() {
        assertThatNullPointerException().isThrownBy(() -> new AgentConfig(null, "", "w", 1, DIR, "python3", 1, 1,
                MS_200, S_5, 1, 1, null, true, true)).withMessage("coordinator");
        assertThatNullPointerException().isThrownBy(() -> new AgentConfig(TCP, null, "w", 1, DIR, "python3", 1, 1,
                MS_200, S_5, 1, 1, null, true, true)).withMessage("token");
        assertThatNullPointerException().isThrownBy(() -> new AgentConfig(TCP, "", "w", 1, null, "python3", 1, 1,
                MS_200, S_5, 1, 1, null, true, true)).withMessage("workDir");
        assertThatIllegalArgumentException().isThrownBy(() -> new AgentConfig(TCP, "", "w", 1, DIR, " ", 1, 1,
                MS_200, S_5, 1, 1, null, true, true)).withMessage("python executable must be given");
    }

    @Test
    void limitsMustBePositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> new AgentConfig(TCP, "", "w", 1, DIR, "python3", 0, 1,
                MS_200, S_5, 1, 1, null, true, true)).withMessage("maxPackages must be positive");
        assertThatIllegalArgumentException().isThrownBy(() -> new AgentConfig(TCP, "", "w", 1, DIR, "python3", 1, 0,
                MS_200, S_5, 1, 1, null, true, true)).withMessage("maxPackageBytes must be positive: 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new AgentConfig(TCP, "", "w", 1, DIR, "python3", 1, 1,
                MS_200, S_5, -1, 1, null, true, true)).withMessage("maxOutputBytes must be positive: -1");
        assertThatIllegalArgumentException().isThrownBy(() -> new AgentConfig(TCP, "", "w", 1, DIR, "python3", 1, 1,
                MS_200, S_5, 1, 0, null, true, true)).withMessage("maxMessageChars must be positive: 0");
    }

    @Test
    void backoffMustSatisfyZeroBelowMinAtMostMax() {
        assertThat(new AgentConfig(TCP, "", "w", 1, DIR, "python3", 1, 1, S_5, S_5, 1, 1, null, true, true).backoffMax()).isEqualTo(S_5);
        for (Duration[] bad : new Duration[][] {{Duration.ZERO, S_5}, {Duration.ofMillis(-1), S_5}, {S_5, MS_200}}) {
            assertThatIllegalArgumentException().isThrownBy(() -> new AgentConfig(TCP, "", "w", 1, DIR, "python3", 1, 1,
                    bad[0], bad[1], 1, 1, null, true, true)).withMessage("back-off must satisfy 0 < min <= max");
        }
    }

    private static AgentConfig secured(Endpoint where, String token, CoordinatorTrust tls, boolean plain,
                                       boolean noToken) {
        return new AgentConfig(where, token, "w", 1, DIR, "python3", 1, 1, MS_200, S_5, 1, 1, tls, plain, noToken);
    }

    @Test
    void withoutATokenTheWorkerDoesNotStartUnlessToldThatNoneIsMeant() {
        CoordinatorTrust pin = CoordinatorTrust.pinned(FINGERPRINT);
        assertThatIllegalArgumentException().isThrownBy(() -> secured(TCP, "", pin, false, false))
                .withMessageStartingWith("no worker token: set CDNODES_WORKER_TOKEN");
        assertThat(secured(TCP, "", pin, false, true).token()).isEmpty();
        assertThat(secured(TCP, "t", pin, false, true).token()).as("a token given is sent").isEqualTo("t");
        assertThatIllegalArgumentException().isThrownBy(() -> secured(TCP, "x".repeat(1025), pin, false, false))
                .withMessage("the worker token is longer than 1024 bytes: it would not fit into a HELLO");
    }

    @Test
    void aTcpCoordinatorIsSpokenToOverTlsUnlessPlainTcpIsAskedFor() {
        CoordinatorTrust pin = CoordinatorTrust.pinned(FINGERPRINT);
        Endpoint unix = new Endpoint.Unix(Path.of("/run/cd.sock"));

        assertThatIllegalArgumentException().isThrownBy(() -> secured(TCP, "t", null, false, false))
                .withMessageStartingWith("a tcp:// coordinator speaks TLS: give --tls-fingerprint");
        assertThatIllegalArgumentException().isThrownBy(() -> secured(TCP, "t", pin, true, false))
                .withMessage("--plain-tcp and --tls-fingerprint/--tls-ca exclude each other");
        assertThat(secured(TCP, "t", null, true, false).toString()).contains("tls=off (--plain-tcp)");
        assertThat(secured(unix, "t", null, false, false).tls()).as("a Unix socket needs no TLS").isNull();
        assertThat(List.of(secured(TCP, "t", pin, false, false).tls())).containsExactly(pin);
    }
}
