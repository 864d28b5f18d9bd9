package io.cdnodes.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.cdnodes.agent.sandbox.SandboxLimits;
import io.cdnodes.agent.sandbox.SandboxMode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line's options, as the agent is started with them, and the configuration they give. */
class MainOptionsTest {

    private static final String PIN = "AB:".repeat(31) + "AB";

    private static AgentConfig parse(String... args) {
        Main main = new Main();
        new CommandLine(main).parseArgs(args);
        return main.config();
    }

    @Test
    void aPinnedFingerprintOrACaFileSecuresATcpCoordinator() {
        AgentConfig pinned = parse("--coordinator", "tcp://10.0.0.1:7000", "--token", "t", "--name", "w",
                "--tls-fingerprint", PIN);
        assertThat(pinned.tls().toString()).isEqualTo("the certificate with SHA-256 fingerprint " + "ab".repeat(32));

        Path ca = TestTls.certificateFile();
        AgentConfig authorities = parse("--coordinator", "tcp://10.0.0.1:7000", "--token", "t", "--name", "w",
                "--tls-ca", ca.toString());
        assertThat(authorities.tls().toString()).isEqualTo("certificates issued by " + ca);
    }

    @Test
    void plainTcpAndNoTokenAreAcceptedOnlyWhenAskedFor() {
        // "--token=": surefire sets CDNODES_WORKER_TOKEN for the agent's tests
        AgentConfig plain = parse("--coordinator", "tcp://10.0.0.1:7000", "--name", "w", "--plain-tcp",
                "--insecure-no-worker-token", "--token=");
        assertThat(plain.plainTcp()).isTrue();
        assertThat(plain.tls()).isNull();
        assertThat(plain.token()).isEmpty();

        assertThatIllegalArgumentException().isThrownBy(() -> parse("--coordinator", "tcp://10.0.0.1:7000", "--name",
                "w", "--token", "t")).withMessageStartingWith("a tcp:// coordinator speaks TLS");
        assertThatIllegalArgumentException().isThrownBy(() -> parse("--coordinator", "unix:/run/cd.sock", "--name",
                "w", "--token=")).withMessageStartingWith("no worker token");
        assertThat(parse("--coordinator", "unix:/run/cd.sock", "--name", "w", "--token", "t").tls()).isNull();
    }

    @Test
    void badTlsOptionsAreRefusedSayingWhy() {
        assertThatIllegalArgumentException().isThrownBy(() -> parse("--coordinator", "tcp://h:7000", "--token", "t",
                "--name", "w", "--tls-fingerprint", "abc")).withMessageStartingWith("a SHA-256 fingerprint is 64 hex");
        assertThatIllegalArgumentException().isThrownBy(() -> parse("--coordinator", "tcp://h:7000", "--token", "t",
                "--name", "w", "--tls-fingerprint", PIN, "--tls-ca", "/nowhere.pem"))
                .withMessage("give --tls-fingerprint or --tls-ca, not both");
        assertThatIllegalArgumentException().isThrownBy(() -> parse("--coordinator", "tcp://h:7000", "--token", "t",
                "--name", "w", "--tls-ca", "/nowhere.pem")).withMessageStartingWith("--tls-ca /nowhere.pem cannot be "
                + "read: ");
        assertThatIllegalArgumentException().isThrownBy(() -> parse("--coordinator", "tcp://h:7000", "--token", "t",
                "--name", "w", "--tls-fingerprint", PIN, "--plain-tcp"))
                .withMessage("--plain-tcp and --tls-fingerprint/--tls-ca exclude each other");
    }

    @Test
    void sandboxOptionsGiveTheSandboxSettingsWithSizesInBytes() {
        AgentConfig c = parse("--coordinator", "unix:/run/cd.sock", "--name", "w", "--token", "t", "--sandbox", "OFF",
                "--sandbox-max-file-mb", "2", "--sandbox-max-memory-mb", "0", "--sandbox-ro-bind", "/opt/a:/opt/b",
                "--sandbox-ro-bind", "/opt/c");

        assertThat(c.sandbox().mode()).isEqualTo(SandboxMode.OFF);
        assertThat(c.sandbox().limits()).isEqualTo(new SandboxLimits(4096, 4096, 2L << 20, 0));
        assertThat(c.sandbox().readOnly()).containsExactly(Path.of("/opt/a"), Path.of("/opt/b"), Path.of("/opt/c"));
        assertThatIllegalArgumentException().isThrownBy(() -> parse("--coordinator", "unix:/run/cd.sock", "--name",
                "w", "--token", "t", "--sandbox", "maybe")).withMessage("--sandbox must be auto, required or off: maybe");
    }

    @Test
    void theOtherOptionsGiveTheConfigurationInItsUnits() {
        AgentConfig c = parse("--coordinator", "unix:/run/cd.sock", "--name", "w", "--token", "t", "--slots", "3",
                "--work-dir", "/var/lib/w", "--python", "python3.11", "--max-packages", "5", "--max-package-mb", "2",
                "--max-output-kb", "3", "--backoff-max-ms", "50");

        assertThat(c.coordinator()).isEqualTo(new Endpoint.Unix(Path.of("/run/cd.sock")));
        assertThat(c.slots()).isEqualTo(3);
        assertThat(c.workDir()).isEqualTo(Path.of("/var/lib/w"));
        assertThat(c.python()).isEqualTo("python3.11");
        assertThat(c.maxPackages()).isEqualTo(5);
        assertThat(c.maxPackageBytes()).isEqualTo(2L << 20);
        assertThat(c.maxOutputBytes()).isEqualTo(3 * 1024);
        assertThat(c.backoffMax()).as("never below the first delay").isEqualTo(java.time.Duration.ofMillis(200));
        assertThat(parse("--coordinator", "unix:/run/cd.sock", "--token", "t", "--name", "w").workDir())
                .isEqualTo(Path.of("worker-data", "w").toAbsolutePath());
    }
}
