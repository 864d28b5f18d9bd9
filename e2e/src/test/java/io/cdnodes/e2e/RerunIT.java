package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdnodes.e2e.support.Api;
import io.cdnodes.e2e.support.Command;
import io.cdnodes.e2e.support.Coordinator;
import io.cdnodes.e2e.support.Paths;
import io.cdnodes.e2e.support.PytestOracle;
import io.cdnodes.e2e.support.SharedCoordinator;
import io.cdnodes.e2e.support.SubmitScript;
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

    /**
     * {@code "reruns"}: the test fails where a marker is (worker A shows the marker's folder to its sandboxes, worker
     * B does not), so it fails on its first run, which only A is there to take, and passes on its rerun, which the
     * coordinator keeps off A once B is there. Each attempt is kept; a test that fails everywhere ends failed.
     */
    @Test
    void aFailedTestRunsAgainOnAnotherWorkerAndEndsPassedAndFlaky(Coordinator c) throws Exception {
        Api api = c.api();
        Path markers = Paths.work("flaky-markers");
        java.nio.file.Files.writeString(markers.resolve("fail-here"), "the tests fail where this file is\n");
        // readable by the user a root worker's sandboxes run as (a temporary folder is its owner's alone)
        java.nio.file.Files.setPosixFilePermissions(markers,
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        String name = "reruns-" + System.nanoTime();
        byte[] zip = Zips.entries(List.of(Map.entry(name + "/test_flaky.py", "import os\n\n"
                + "def test_flaky():\n"
                + "    print('looking for the marker')\n"
                + "    assert not os.path.exists(os.environ['MARKER']), 'the marker is here'\n\n"
                + "def test_broken():\n    assert 1 == 2\n\n"
                + "def test_steady():\n    assert True\n")));
        Path upload = Paths.work("reruns-upload").resolve(name + ".zip");
        java.nio.file.Files.write(upload, zip);
        Map<String, String> env = Map.of("CDNODES_API_KEY", c.adminKey());
        try (WorkerAgent a = new WorkerAgent("e2e-reruns-a", c.unixEndpoint(), c.token(), 1, null,
                List.of("--sandbox-ro-bind", markers.toString()))) {
            a.awaitConnected(Duration.ofSeconds(60));
            Command.Result submitted = SubmitScript.client(env, "submit", upload.toString(), "--url", c.url(),
                    "--reruns", "1", "--reruns-delay", "20",
                    "--options", "{\"env\": {\"MARKER\": \"" + markers.resolve("fail-here") + "\"}}");
            assertThat(submitted.exit()).as(submitted.output()).isZero();
            java.util.regex.Matcher said = java.util.regex.Pattern.compile("evaluation (\\d+) submitted")
                    .matcher(submitted.output());
            assertThat(said.find()).as(submitted.output()).isTrue();
            long id = Long.parseLong(said.group(1));
            org.awaitility.Awaitility.await("both failures on A, each waiting for its rerun")
                    .atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> c.logTail(400).contains("evaluation=" + id + " project=" + name
                            + ": test_flaky.py::test_flaky failed on e2e-reruns-a: rerun 1 of 1"));
            try (WorkerAgent b = c.worker("e2e-reruns-b", true)) {
                b.awaitConnected(Duration.ofSeconds(60));
                JsonNode done = api.awaitFinished(id, Duration.ofMinutes(3));
                assertThat(done.get("status").asText()).isEqualTo("done");
                assertThat(outcomes(api.get("/evaluation/" + id + "?tests=true").json())).containsExactly(
                        Map.entry("test_flaky.py::test_broken", "failed"),
                        Map.entry("test_flaky.py::test_flaky", "passed"),
                        Map.entry("test_flaky.py::test_steady", "passed"));

                JsonNode flaky = test(api, id, "test_flaky.py::test_flaky");
                assertThat(flaky.get("flaky").asBoolean()).isTrue();
                assertThat(flaky.get("worker").asText()).as("the rerun ran away from A").isEqualTo("e2e-reruns-b");
                assertThat(flaky.get("attempts")).singleElement().satisfies(first -> {
                    assertThat(first.get("attempt").asInt()).isEqualTo(1);
                    assertThat(first.get("outcome").asText()).isEqualTo("failed");
                    assertThat(first.get("worker").asText()).isEqualTo("e2e-reruns-a");
                    assertThat(first.get("message").asText()).contains("AssertionError: the marker is here");
                    assertThat(first.get("longrepr").asText()).contains("def test_flaky():");
                    assertThat(first.get("stdout").asText()).contains("looking for the marker");
                });

                JsonNode broken = test(api, id, "test_flaky.py::test_broken");
                assertThat(broken.has("flaky")).as("failed on every attempt: not flaky").isFalse();
                assertThat(broken.get("message").asText()).contains("assert 1 == 2");
                assertThat(broken.get("attempts")).singleElement()
                        .satisfies(first -> assertThat(first.get("outcome").asText()).isEqualTo("failed"));
                JsonNode steady = test(api, id, "test_flaky.py::test_steady");
                assertThat(steady.has("attempts") || steady.has("flaky")).isFalse();

                Command.Result shown = SubmitScript.client(env, "show", String.valueOf(id), "--tests", "--url", c.url());
                assertThat(shown.output()).as(shown.output())
                        .contains("test_flaky.py::test_flaky PASSED (flaky: passed on attempt 2)")
                        .contains("test_flaky.py::test_broken FAILED (on each of 2 attempts)")
                        .containsPattern("=+ 1 failed, 2 passed, 2 rerun in [0-9.]+s =+");

                JsonNode history = api.get("/projects/" + name + "/flaky").json();
                assertThat(history.get("tests")).singleElement().satisfies(t -> {
                    assertThat(t.get("nodeid").asText()).isEqualTo("test_flaky.py::test_flaky");
                    assertThat(t.get("runs").asInt()).isEqualTo(2);
                    assertThat(t.get("flips").asInt()).isEqualTo(1);
                });
            }
        }
    }

    private static JsonNode test(Api api, long evaluation, String nodeId) {
        Api.Answer a = api.get("/evaluation/" + evaluation + "/tests/" + nodeId);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return a.json();
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
