package io.cdnodes.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line's TLS and token options, as the agent is started with them. */
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
}
