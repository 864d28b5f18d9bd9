package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdnodes.e2e.support.Api;
import io.cdnodes.e2e.support.Coordinator;
import io.cdnodes.e2e.support.SharedCoordinator;
import io.cdnodes.e2e.support.WorkerAgent;
import io.cdnodes.e2e.support.Zips;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A worker asked to stop (SIGTERM) finishes the test it is running, hands the rest back, and leaves. */
@ExtendWith(SharedCoordinator.class)
class DrainIT {

    @Test
    void aStoppedWorkerFinishesItsTestAndHandsTheRestBack(Coordinator c) {
        Api api = c.api();
        try (WorkerAgent leaving = c.worker("drain-leaving", false); WorkerAgent staying = c.worker("drain-staying", true)) {
            leaving.awaitConnected(Duration.ofSeconds(60));
            staying.awaitConnected(Duration.ofSeconds(60));
            long id = api.submitOk("drain.zip", Zips.entries(LiveProgressIT.slowProject(2, 8, 0.8)),
                    "{\"granularity\": \"module\"}");
            Awaitility.await("both workers running tests").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        JsonNode ev = api.get("/evaluation/" + id + "?tests=true").json();
                        return ev.get("projects").get(0).get("tests").findValuesAsText("worker").contains("drain-leaving");
                    });

            leaving.process().process().destroy(); // SIGTERM
            Awaitility.await("the stopped worker to leave").atMost(Duration.ofSeconds(40)).until(() -> !leaving.isAlive());
            assertThat(leaving.logTail(50)).doesNotContain("drain grace period");

            JsonNode ev = api.awaitFinished(id, Duration.ofMinutes(3));
            assertThat(ev.get("status").asText()).isEqualTo("done");
            Map<String, Integer> seen = new HashMap<>();
            Map<String, Integer> byWorker = new HashMap<>();
            for (JsonNode t : ev.get("projects").get(0).get("tests")) {
                assertThat(t.get("outcome").asText()).as(t.toString()).isEqualTo("passed");
                seen.merge(t.get("nodeid").asText(), 1, Integer::sum);
                byWorker.merge(t.get("worker").asText(), 1, Integer::sum);
            }
            assertThat(seen).hasSize(16).allSatisfy((node, n) -> assertThat(n).isEqualTo(1));
            assertThat(byWorker).containsKeys("drain-leaving", "drain-staying");
            assertThat(c.logTail(400)).contains("worker=drain-leaving: draining");
        }
    }
}
