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
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The whole path: a zip in over HTTP, its tests split across two real worker processes (one on the Unix
 * socket, one on TCP), real pytest, results out; every node id and outcome equal to plain pytest's.
 */
@ExtendWith(SharedCoordinator.class)
class EndToEndIT {

    @Test
    void mixedProjectGivesExactlyWhatPlainPytestGives(Coordinator c) throws Exception {
        Api api = c.api();
        Path fixture = Paths.fixture("mixed");
        Map<String, String> expected = PytestOracle.outcomes(fixture, List.of(), Map.of());
        assertThat(expected).hasSizeGreaterThanOrEqualTo(30)
                .containsValues("passed", "failed", "error", "skipped", "xfailed", "xpassed");

        try (WorkerAgent unix = c.worker("e2e-unix", true); WorkerAgent tcp = c.worker("e2e-tcp", false)) {
            unix.awaitConnected(Duration.ofSeconds(60));
            tcp.awaitConnected(Duration.ofSeconds(60));
            long id = api.submitOk("mixed.zip", Zips.of(fixture, ""), null);
            JsonNode ev = api.awaitFinished(id, Duration.ofMinutes(5));

            assertThat(ev.get("status").asText()).isEqualTo("done");
            JsonNode project = ev.get("projects").get(0);
            assertThat(project.get("name").asText()).isEqualTo("mixed");
            Map<String, String> actual = new TreeMap<>();
            Set<String> workers = new HashSet<>();
            for (JsonNode t : project.get("tests")) {
                assertThat(actual.put(t.get("nodeid").asText(), t.get("outcome").asText()))
                        .as("node %s reported once", t.get("nodeid").asText()).isNull();
                workers.add(t.get("worker").asText());
                assertThat(t.get("duration").asDouble()).isGreaterThanOrEqualTo(0);
                assertThat(t.get("attempt").asInt()).isEqualTo(1);
            }
            assertThat(actual).isEqualTo(expected);
            // a project never seen before runs on as many pytest sessions as its work is worth: this quick one may
            // stay on the worker that collected it (LiveProgressIT runs tests on both transports at once)
            assertThat(workers).as("results come from the connected workers").isNotEmpty()
                    .isSubsetOf("e2e-unix", "e2e-tcp");

            long passed = count(expected, "passed") + count(expected, "xpassed");
            long failed = count(expected, "failed") + count(expected, "error");
            assertThat(project.get("grade").asDouble()).isCloseTo(passed * 20.0 / (passed + failed),
                    org.assertj.core.data.Offset.offset(0.01));
            assertThat(ev.get("grade").asDouble()).isEqualTo(project.get("grade").asDouble());
            JsonNode progress = ev.get("progress");
            assertThat(progress.get("total").asInt()).isEqualTo(expected.size());
            assertThat(progress.get("executed").asInt()).isEqualTo(expected.size());
            assertThat(progress.get("running").asInt()).isZero();
            assertThat(progress.get("pending").asInt()).isZero();
            assertThat(ev.get("outcomes").get("xfailed").asLong()).isEqualTo(count(expected, "xfailed"));
            assertThat(project.get("modules")).hasSize(5);

            assertJunitXml(api.get("/evaluation/" + id + "/junit.xml"), expected);
            assertListed(api, id);
            assertStatsAndNetwork(api, c, workers.size());
        }
    }

    private static long count(Map<String, String> outcomes, String outcome) {
        return outcomes.values().stream().filter(outcome::equals).count();
    }

    private static void assertJunitXml(Api.Answer junit, Map<String, String> expected) throws Exception {
        assertThat(junit.status()).isEqualTo(200);
        assertThat(junit.contentType()).startsWith("application/xml");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(junit.body().getBytes(StandardCharsets.UTF_8)));
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("name")).isEqualTo("mixed");
        assertThat(Integer.parseInt(suite.getAttribute("tests"))).isEqualTo(expected.size());
        assertThat(Integer.parseInt(suite.getAttribute("failures"))).isEqualTo((int) count(expected, "failed"));
        assertThat(Integer.parseInt(suite.getAttribute("errors"))).isEqualTo((int) count(expected, "error"));
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(expected.size());
    }

    private static void assertListed(Api api, long id) {
        JsonNode list = api.get("/evaluation").json();
        assertThat(list.isArray()).isTrue();
        assertThat(list.get(0).get("id").asLong()).as("newest first").isGreaterThanOrEqualTo(id);
        boolean found = false;
        for (JsonNode e : list) {
            if (e.get("id").asLong() == id) {
                found = true;
                assertThat(e.get("status").asText()).isEqualTo("done");
                assertThat(e.get("submitted_at").asText()).isNotEmpty();
                assertThat(e.get("finished_at").asText()).isNotEmpty();
            }
        }
        assertThat(found).isTrue();
    }

    private static void assertStatsAndNetwork(Api api, Coordinator c, int workersWithResults) {
        JsonNode stats = api.get("/stats").json();
        assertThat(stats.fieldNames()).toIterable().containsExactly("all", "nodes");
        assertThat(stats.get("all").fieldNames()).toIterable()
                .containsExactly("failed", "passed", "projects", "evaluations");
        assertThat(stats.get("all").get("evaluations").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(stats.get("nodes")).hasSize(2);
        JsonNode network = api.get("/network").json();
        String tcpListen = c.tcpEndpoint().substring("tcp://".length());
        String unixListen = c.unixEndpoint();
        assertThat(network.get(tcpListen)).hasSize(1);
        assertThat(network.get(unixListen)).hasSize(1);
        for (JsonNode node : stats.get("nodes")) {
            assertThat(node.fieldNames()).toIterable()
                    .containsExactly("address", "failed", "passed", "projects", "modules", "evaluations");
            String address = node.get("address").asText();
            assertThat(network.has(address)).as("/network knows %s", address).isTrue();
            if (node.get("passed").asLong() + node.get("failed").asLong() > 0) {
                assertThat(node.get("projects").asLong()).isEqualTo(1);
                assertThat(node.get("modules").asLong()).isGreaterThanOrEqualTo(1);
                workersWithResults--;
            } else {
                assertThat(node.get("projects").asLong()).isZero();
            }
        }
        assertThat(workersWithResults).as("every worker that reported a result has stats, and only those").isZero();
    }
}
