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

/** Workers authenticate: a wrong or missing token is refused for good, while good workers do the work. */
@ExtendWith(SharedCoordinator.class)
class AuthenticationIT {

    @Test
    void workersWithAWrongTokenAreRefusedWhileGoodWorkersFinishTheEvaluation(Coordinator c) throws Exception {
        Api api = c.api();
        try (WorkerAgent good = c.worker("auth-good", true);
             WorkerAgent wrongTcp = c.worker("auth-wrong-tcp", false, "not-the-token");
             WorkerAgent wrongUnix = c.worker("auth-wrong-unix", true, "not-the-token");
             WorkerAgent none = c.worker("auth-none", false, null)) {
            good.awaitConnected(Duration.ofSeconds(60));
            for (WorkerAgent refused : List.of(wrongTcp, wrongUnix, none)) {
                Awaitility.await(refused.name() + " to exit").atMost(Duration.ofSeconds(60))
                        .until(() -> !refused.isAlive());
                assertThat(refused.exitCode()).as(refused.logTail(20)).isEqualTo(3);
                assertThat(refused.logTail(50)).contains("refused the worker token").doesNotContain("] connected to ");
            }

            long id = api.submitOk("auth.zip", Zips.entries(List.of(
                    Map.entry("tests/test_a.py", "def test_a():\n    assert True\n"),
                    Map.entry("tests/test_b.py", "def test_b():\n    assert False\n"))), null);
            JsonNode ev = api.awaitFinished(id, Duration.ofMinutes(3));
            assertThat(ev.get("status").asText()).isEqualTo("done");
            for (JsonNode t : ev.get("projects").get(0).get("tests")) {
                assertThat(t.get("worker").asText()).isEqualTo("auth-good");
            }
            assertThat(api.get("/stats").json().get("nodes")).hasSize(1);
        }
        try (Stream<Path> logs = Files.walk(c.dataDir()).filter(p -> p.toString().endsWith(".log"))) {
            for (Path log : logs.toList()) {
                assertThat(Files.readString(log)).as("the token never appears in %s", log).doesNotContain(Coordinator.TOKEN);
            }
        }
    }
}
