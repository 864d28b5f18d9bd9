package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdnodes.e2e.support.Api;
import io.cdnodes.e2e.support.Coordinator;
import io.cdnodes.e2e.support.SharedCoordinator;
import io.cdnodes.e2e.support.WorkerAgent;
import io.cdnodes.e2e.support.Zips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Workers authenticate, and check the coordinator: a wrong token is refused for good, a worker without one does not
 * start, a worker pinning another certificate leaves before it says anything, while good workers do the work.
 */
@ExtendWith(SharedCoordinator.class)
class AuthenticationIT {

    @Test
    void workersWithAWrongTokenOrFingerprintGetNoWorkWhileGoodWorkersFinishTheEvaluation(Coordinator c)
            throws Exception {
        Api api = c.api();
        String otherCertificate = "0f".repeat(32);
        try (WorkerAgent good = c.worker("auth-good", true);
             WorkerAgent goodTcp = c.worker("auth-good-tcp", false);
             WorkerAgent wrongTcp = c.worker("auth-wrong-tcp", false, "not-the-token");
             WorkerAgent wrongUnix = c.worker("auth-wrong-unix", true, "not-the-token");
             WorkerAgent none = c.worker("auth-none", false, null);
             WorkerAgent wrongCertificate = c.workerPinning("auth-wrong-cert", otherCertificate)) {
            good.awaitConnected(Duration.ofSeconds(60));
            goodTcp.awaitConnected(Duration.ofSeconds(60));
            for (WorkerAgent refused : List.of(wrongTcp, wrongUnix)) {
                awaitExit(refused, 3);
                assertThat(refused.logTail(50)).contains("the coordinator refused this worker: worker token refused")
                        .doesNotContain("] connected to ");
            }
            awaitExit(none, 2);
            assertThat(none.logTail(20)).contains("no worker token: set CDNODES_WORKER_TOKEN");
            awaitExit(wrongCertificate, 6);
            assertThat(wrongCertificate.logTail(20)).contains("the coordinator's certificate has the SHA-256 "
                    + "fingerprint " + c.fingerprint() + ", not the expected " + otherCertificate)
                    .doesNotContain("] connected to ");
            assertThat(c.logTail(400)).as("the coordinator saw the refused handshake")
                    .contains("TLS handshake failed");

            long id = api.submitOk("auth.zip", Zips.entries(List.of(
                    Map.entry("tests/test_a.py", "def test_a():\n    assert True\n"),
                    Map.entry("tests/test_b.py", "def test_b():\n    assert False\n"))), null);
            JsonNode ev = api.awaitFinished(id, Duration.ofMinutes(3));
            assertThat(ev.get("status").asText()).isEqualTo("done");
            for (JsonNode t : ev.get("projects").get(0).get("tests")) {
                assertThat(t.get("worker").asText()).isIn("auth-good", "auth-good-tcp");
            }
            assertThat(api.get("/stats").json().get("nodes")).hasSize(2);
        }
        try (Stream<Path> logs = Files.walk(c.dataDir()).filter(p -> p.toString().endsWith(".log"))) {
            for (Path log : logs.toList()) {
                assertThat(Files.readString(log)).as("the token never appears in %s", log).doesNotContain(Coordinator.TOKEN);
            }
        }
    }

    private static void awaitExit(WorkerAgent w, int code) {
        Awaitility.await(w.name() + " to exit").atMost(Duration.ofSeconds(60)).until(() -> !w.isAlive());
        assertThat(w.exitCode()).as(w.logTail(20)).isEqualTo(code);
    }
}
