package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdnodes.e2e.support.Api;
import io.cdnodes.e2e.support.Coordinator;
import io.cdnodes.e2e.support.Paths;
import io.cdnodes.e2e.support.PytestJunit;
import io.cdnodes.e2e.support.PytestOracle;
import io.cdnodes.e2e.support.SharedCoordinator;
import io.cdnodes.e2e.support.WorkerAgent;
import io.cdnodes.e2e.support.Zips;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each test's report through the whole system, against plain pytest's own {@code --junitxml} for the same project
 * and arguments: the failure text (assertion rewriting, fixtures in conftest, setup and teardown errors, a
 * unittest failure, parametrized class tests), the skip and xfail reasons, captured stdout and stderr, recorded
 * properties; in {@code ?tests=true}, in {@code /tests/{nodeid}} and in the evaluation's JUnit XML, which validates
 * against the common JUnit schema.
 */
@ExtendWith(SharedCoordinator.class)
class FailureReportsIT {

    private static final List<String> ARGS = List.of("--tb=short");

    @Test
    void everyTestsReportIsWhatPytestsJunitXmlSays(Coordinator c) throws Exception {
        Api api = c.api();
        Path fixture = Paths.fixture("reports");
        Map<String, String> expected = PytestOracle.outcomes(fixture, ARGS, Map.of());
        assertThat(expected).containsValues("passed", "failed", "error", "skipped", "xfailed", "xpassed");
        Map<String, PytestJunit.Case> pytest = PytestJunit.ofPlainPytest(fixture, ARGS);

        try (WorkerAgent worker = c.worker("e2e-reports", false)) {
            worker.awaitConnected(Duration.ofSeconds(60));
            long id = api.submitOk("reports.zip", Zips.of(fixture, ""), "{\"pytest_args\": [\"--tb=short\"]}");
            JsonNode ev = api.awaitFinished(id, Duration.ofMinutes(5));
            assertThat(ev.get("status").asText()).isEqualTo("done");

            Map<String, JsonNode> tests = new HashMap<>();
            for (JsonNode t : ev.get("projects").get(0).get("tests")) {
                tests.put(t.get("nodeid").asText(), t);
            }
            assertThat(tests.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            Map<String, PytestJunit.Case> ours = PytestJunit.ofCdNodes(api.get("/evaluation/" + id + "/junit.xml")
                    .body());

            for (Map.Entry<String, JsonNode> e : tests.entrySet()) {
                String node = e.getKey();
                JsonNode t = e.getValue();
                PytestJunit.Case theirs = pytest.get(PytestJunit.key(node));
                assertThat(theirs).as("pytest's testcase of %s", node).isNotNull();
                assertThat(t.get("outcome").asText()).isEqualTo(expected.get(node));
                if ("failure".equals(theirs.outcomeElement()) || "error".equals(theirs.outcomeElement())) {
                    assertThat(text(t, "longrepr")).as("failure text of %s", node).isEqualTo(theirs.text());
                    assertThat(t.get("phase").asText()).isIn("setup", "call", "teardown");
                } else {
                    assertThat(t.has("longrepr")).as("no failure text for %s", node).isFalse();
                }
                if ("skipped".equals(theirs.outcomeElement())) {
                    assertThat(text(t, "reason")).as("reason of %s", node).isEqualTo(theirs.message());
                } else {
                    assertThat(text(t, "stdout")).as("stdout of %s", node).isEqualTo(theirs.stdout());
                    assertThat(text(t, "stderr")).as("stderr of %s", node).isEqualTo(theirs.stderr());
                }
                assertThat(properties(t)).as("properties of %s", node).isEqualTo(theirs.properties());

                PytestJunit.Case mine = ours.get(PytestJunit.key(node));
                assertThat(mine.outcomeElement()).as("our JUnit element for %s", node)
                        .isEqualTo(theirs.outcomeElement());
                if (theirs.outcomeElement() != null && !theirs.outcomeElement().equals("skipped")) {
                    assertThat(mine.text()).isEqualTo(theirs.text());
                }
                assertThat(mine.properties()).isEqualTo(theirs.properties());
            }

            String rewritten = "tests/test_shop.py::test_total_is_wrong";
            assertThat(text(tests.get(rewritten), "longrepr")).contains("assert 6 == 7", "where 6 = total([1, 2, 3])");
            assertThat(text(tests.get(rewritten), "stdout")).contains("opening the stock",
                    "computing the total of [1, 2, 3]", "closing the stock");
            assertThat(tests.get(rewritten).get("message").asText()).doesNotContain("\n");
            assertThat(tests.get("tests/test_shop.py::test_needs_the_database").get("phase").asText())
                    .isEqualTo("setup");
            assertThat(tests.get("tests/test_shop.py::test_cleans_up_badly").get("phase").asText())
                    .isEqualTo("teardown");
            assertThat(text(tests.get("tests/test_shop.py::test_total_passes_and_talks"), "log"))
                    .contains("WARNING", "stock running low");

            // one test, with brackets in its node id, on its own
            String param = "tests/test_shop.py::TestCart::test_count[3]";
            JsonNode one = api.get("/evaluation/" + id + "/tests/" + pathOf(param)).json();
            assertThat(one.get("project").asText()).isEqualTo("reports");
            assertThat(one.get("nodeid").asText()).isEqualTo(param);
            assertThat(one.get("longrepr").asText()).isEqualTo(tests.get(param).get("longrepr").asText())
                    .contains("the cart holds at most two of a kind");
            Api.Answer missing = api.get("/evaluation/" + id + "/tests/" + pathOf("tests/test_shop.py::nope"));
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.contentType()).startsWith("application/problem+json");
        }
    }

    /** The node id as a path: each part of it percent-encoded, the slashes between kept. */
    private static String pathOf(String nodeId) {
        StringBuilder p = new StringBuilder();
        for (String part : nodeId.split("/", -1)) {
            p.append(p.length() == 0 ? "" : "/").append(URLEncoder.encode(part, StandardCharsets.UTF_8)
                    .replace("+", "%20"));
        }
        return p.toString();
    }

    private static String text(JsonNode t, String field) {
        return t.has(field) ? t.get(field).asText() : "";
    }

    private static Map<String, String> properties(JsonNode t) {
        Map<String, String> out = new HashMap<>();
        if (t.has("properties")) {
            t.get("properties").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }
}
