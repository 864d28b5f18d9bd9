package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdnodes.e2e.support.Api;
import io.cdnodes.e2e.support.Coordinator;
import io.cdnodes.e2e.support.Paths;
import io.cdnodes.e2e.support.PytestOracle;
import io.cdnodes.e2e.support.SharedCoordinator;
import io.cdnodes.e2e.support.WorkerAgent;
import io.cdnodes.e2e.support.Zips;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /evaluation/{id}/rerun}: the failed and errored tests of a finished evaluation run again from its
 * packages, with plain pytest's outcomes, as a new evaluation; {@code "all"} runs every test; what cannot be rerun
 * is refused, saying why.
 */
@ExtendWith(SharedCoordinator.class)
class RerunIT {

    @Test
    void theFailedTestsOrAllOfThemRunAgainFromTheSamePackages(Coordinator c) throws Exception {
        Api api = c.api();
        Path fixture = Paths.fixture("mixed");
        Map<String, String> expected = PytestOracle.outcomes(fixture, List.of(), Map.of());
        Map<String, String> bad = expected.entrySet().stream()
                .filter(e -> e.getValue().equals("failed") || e.getValue().equals("error"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
        assertThat(bad).isNotEmpty().hasSizeLessThan(expected.size());

        try (WorkerAgent worker = c.worker("e2e-rerun", true)) {
            worker.awaitConnected(Duration.ofSeconds(60));
            long first = api.submitOk("mixed.zip", Zips.of(fixture, ""), null);
            assertThat(api.awaitFinished(first, Duration.ofMinutes(5)).get("status").asText()).isEqualTo("done");

            Api.Answer failed = api.sendJson("POST", "/evaluation/" + first + "/rerun", "{\"only\": \"failed\"}");
            assertThat(failed.status()).as(failed.body()).isEqualTo(201);
            long again = failed.json().get("id").asLong();
            assertThat(again).isNotEqualTo(first);
            assertThat(failed.header("Location")).endsWith("/evaluation/" + again);
            JsonNode rerun = api.awaitFinished(again, Duration.ofMinutes(5));
            assertThat(rerun.get("status").asText()).isEqualTo("done");
            assertThat(rerun.get("source").asText()).isEqualTo("rerun of evaluation " + first + " (failed)");
            assertThat(outcomes(rerun)).as("only what failed or errored, as plain pytest has it").isEqualTo(bad);

            Api.Answer all = api.send("POST", "/evaluation/" + first + "/rerun");
            assertThat(all.status()).as(all.body()).isEqualTo(201);
            JsonNode whole = api.awaitFinished(all.json().get("id").asLong(), Duration.ofMinutes(5));
            assertThat(outcomes(whole)).isEqualTo(expected);

            Api.Answer unknown = api.sendJson("POST", "/evaluation/" + first + "/rerun", "{\"only\": \"slow\"}");
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.body()).contains("\\\"failed\\\"");
            Api.Answer missing = api.sendJson("POST", "/evaluation/999999/rerun", "{\"only\": \"failed\"}");
            assertThat(missing.status()).isEqualTo(404);

            long clean = api.submitOk("passing.zip", Zips.entries(List.of(Map.entry("test_ok.py",
                    "def test_ok():\n    assert True\n"))), null);
            api.awaitFinished(clean, Duration.ofMinutes(5));
            Api.Answer nothing = api.sendJson("POST", "/evaluation/" + clean + "/rerun", "{\"only\": \"failed\"}");
            assertThat(nothing.status()).isEqualTo(409);
            assertThat(nothing.contentType()).startsWith("application/problem+json");
            assertThat(nothing.json().get("detail").asText()).contains("no test failed or errored");
        }
    }

    @Test
    void aTestThatFlipsBetweenEvaluationsIsListedAsFlaky(Coordinator c) throws Exception {
        Api api = c.api();
        String name = "coin-" + System.nanoTime();
        byte[] zip = Zips.entries(List.of(Map.entry(name + "/test_coin.py", "import os\n\n"
                + "def test_heads():\n    assert os.environ['COIN'] == 'heads'\n\n"
                + "def test_steady():\n    assert True\n")));
        try (WorkerAgent worker = c.worker("e2e-flaky", true)) {
            worker.awaitConnected(Duration.ofSeconds(60));
            for (String side : List.of("heads", "tails", "heads")) {
                long id = api.submitOk("coin.zip", zip, "{\"env\": {\"COIN\": \"" + side + "\"}}");
                assertThat(api.awaitFinished(id, Duration.ofMinutes(5)).get("status").asText()).isEqualTo("done");
            }
            JsonNode flaky = api.get("/projects/" + name + "/flaky").json();
            assertThat(flaky.get("project").asText()).isEqualTo(name);
            assertThat(flaky.get("evaluations").asInt()).isEqualTo(3);
            assertThat(flaky.get("tests")).hasSize(1);
            JsonNode heads = flaky.get("tests").get(0);
            assertThat(heads.get("nodeid").asText()).isEqualTo("test_coin.py::test_heads");
            assertThat(heads.get("runs").asInt()).isEqualTo(3);
            assertThat(heads.get("flips").asInt()).isEqualTo(2);
            assertThat(heads.get("last_outcome").asText()).isEqualTo("passed");
            assertThat(api.get("/projects/no-such-project-" + name + "/flaky").status()).isEqualTo(404);
        }
    }

    private static Map<String, String> outcomes(JsonNode evaluation) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode p : evaluation.get("projects")) {
            for (JsonNode t : p.get("tests")) {
                out.put(t.get("nodeid").asText(), t.get("outcome").asText());
            }
        }
        return out;
    }
}
