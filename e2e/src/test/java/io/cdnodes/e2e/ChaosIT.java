package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdnodes.e2e.support.Api;
import io.cdnodes.e2e.support.Coordinator;
import io.cdnodes.e2e.support.Paths;
import io.cdnodes.e2e.support.PytestOracle;
import io.cdnodes.e2e.support.WorkerAgent;
import io.cdnodes.e2e.support.Zips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Everything dies during one evaluation: a worker is killed (kill -9) mid-test, another is frozen (SIGSTOP)
 * and thawed after it was declared gone, a new worker joins, and the coordinator itself is killed (kill -9)
 * and started again. Every test must still get exactly one result, the same as in a run with no faults.
 * Uses a coordinator of its own, since it kills it.
 */
class ChaosIT {

    private static final int FILES = 12;
    private static final int TESTS_PER_FILE = 25;

    @Test
    void everyTestGetsExactlyOneResultWhateverDies() throws Exception {
        Path project = chaosProject();
        Map<String, String> expected = PytestOracle.outcomes(project, List.of(), Map.of("CHAOS_SLEEP", "0"));
        assertThat(expected).hasSize(FILES * TESTS_PER_FILE);

        List<WorkerAgent> workers = new ArrayList<>();
        try (Coordinator c = new Coordinator(Map.of("CDNODES_WORKER_TOKEN", Coordinator.TOKEN,
                "CDNODES_HEARTBEAT_TIMEOUT_MS", "3000")).start()) {
            Api api = c.api();
            for (int i = 1; i <= 4; i++) {
                workers.add(c.worker("chaos-" + i, false));
            }
            for (WorkerAgent w : workers) {
                w.awaitConnected(Duration.ofSeconds(60));
            }
            long id = api.submitOk("chaos.zip", Zips.of(project, ""), null);

            awaitExecuted(api, id, 30);
            workers.get(0).kill();

            awaitExecuted(api, id, 70);
            WorkerAgent frozen = workers.get(1);
            frozen.freeze();
            Awaitility.await("the frozen worker declared gone").atMost(Duration.ofSeconds(30))
                    .until(() -> c.logTail(300).lines().anyMatch(l -> l.contains("worker=chaos-2 conn=")
                            && l.contains(": gone (")));
            frozen.thaw();

            awaitExecuted(api, id, 110);
            WorkerAgent late = c.worker("chaos-late", false);
            workers.add(late);
            late.awaitConnected(Duration.ofSeconds(60));

            awaitExecuted(api, id, 150);
            c.kill();
            c.start();

            JsonNode ev = api.awaitFinished(id, Duration.ofMinutes(6));
            assertThat(ev.get("status").asText()).isEqualTo("done");
            Map<String, String> actual = new TreeMap<>();
            Map<String, Integer> seen = new HashMap<>();
            for (JsonNode t : ev.get("projects").get(0).get("tests")) {
                actual.put(t.get("nodeid").asText(), t.get("outcome").asText());
                seen.merge(t.get("nodeid").asText(), 1, Integer::sum);
            }
            assertThat(seen.values()).as("no test counted twice").allMatch(n -> n == 1);
            assertThat(actual).isEqualTo(expected);
            assertThat(ev.get("progress").get("executed").asInt()).isEqualTo(expected.size());
            // the totals outlive the coordinator that was killed: they come from the database
            JsonNode all = api.get("/stats").json().get("all");
            assertThat(all.get("evaluations").asLong()).isEqualTo(1);
            assertThat(all.get("passed").asLong()).isEqualTo(expected.values().stream().filter("passed"::equals).count());
            assertThat(all.get("failed").asLong()).isEqualTo(expected.values().stream().filter("failed"::equals).count());
        } finally {
            workers.forEach(w -> {
                try {
                    w.thaw();
                } catch (RuntimeException ignored) {
                    // already gone
                }
                w.close();
            });
        }
    }

    private static void awaitExecuted(Api api, long id, int count) {
        Awaitility.await(count + " tests executed").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    JsonNode ev = api.get("/evaluation/" + id).json();
                    if (ev.get("status").asText().equals("done")) {
                        throw new AssertionError("the evaluation finished before the faults: make the suite longer");
                    }
                    return ev.get("progress").get("executed").asInt() >= count;
                });
    }

    /** 300 tests that sleep a little (unless CHAOS_SLEEP=0), with deterministic failures and skips. */
    private static Path chaosProject() throws Exception {
        Path dir = Paths.work("chaos-").resolve("chaos");
        Files.createDirectories(dir.resolve("tests"));
        Files.writeString(dir.resolve("tests/conftest.py"), """
                import os
                import time

                import pytest


                @pytest.fixture
                def nap():
                    scale = float(os.environ.get("CHAOS_SLEEP", "1"))
                    return lambda seconds: time.sleep(seconds * scale)
                """);
        for (int f = 0; f < FILES; f++) {
            StringBuilder src = new StringBuilder("import pytest\n\n");
            for (int t = 0; t < TESTS_PER_FILE; t++) {
                int n = f * TESTS_PER_FILE + t;
                double seconds = 0.2 + (n % 7) * 0.05;
                src.append("def test_").append(t).append("(nap):\n");
                src.append("    nap(").append(seconds).append(")\n");
                if (n % 17 == 0) {
                    src.append("    assert ").append(n).append(" == 0\n");
                } else if (n % 23 == 0) {
                    src.append("    pytest.skip('every 23rd')\n");
                }
                src.append('\n');
            }
            Files.writeString(dir.resolve("tests/test_chaos" + f + ".py"), src.toString());
        }
        return dir;
    }
}
