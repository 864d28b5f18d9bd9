package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdnodes.e2e.support.Api;
import io.cdnodes.e2e.support.Coordinator;
import io.cdnodes.e2e.support.SharedCoordinator;
import io.cdnodes.e2e.support.WorkerAgent;
import io.cdnodes.e2e.support.Zips;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Live progress (Server-Sent Events), cancelling, result files, and what operators watch. */
@ExtendWith(SharedCoordinator.class)
class LiveProgressIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A Server-Sent Event as read off the wire. */
    record Event(String name, String id, String data) {
    }

    @Test
    void eventsStreamEveryResultThenEndAndResumeFromLastEventId(Coordinator c) throws Exception {
        Api api = c.api();
        try (WorkerAgent a = c.worker("sse-a", true); WorkerAgent b = c.worker("sse-b", false)) {
            a.awaitConnected(Duration.ofSeconds(60));
            b.awaitConnected(Duration.ofSeconds(60));
            long id = api.submitOk("sse.zip", Zips.entries(slowProject(3, 4, 0.2)), null);

            List<Event> events = read(c, "/evaluation/" + id + "/events", null);
            assertThat(events.get(events.size() - 1)).isEqualTo(new Event("end", null, "done"));
            List<Event> results = events.stream().filter(e -> e.name().equals("result")).toList();
            Set<String> nodes = new HashSet<>();
            for (Event e : results) {
                JsonNode r = JSON.readTree(e.data());
                assertThat(nodes.add(r.get("nodeid").asText())).isTrue();
                assertThat(e.id()).isEqualTo(r.get("seq").asText());
            }
            assertThat(nodes).hasSize(12);
            assertThat(events).anyMatch(e -> e.name().equals("progress"));
            JsonNode lastProgress = JSON.readTree(events.stream().filter(e -> e.name().equals("progress"))
                    .reduce((x, y) -> y).orElseThrow().data());
            assertThat(lastProgress.get("status").asText()).isEqualTo("done");
            assertThat(lastProgress.get("progress").get("executed").asInt()).isEqualTo(12);

            String resumeAfter = results.get(4).id();
            List<Event> resumed = read(c, "/evaluation/" + id + "/events", resumeAfter);
            assertThat(resumed.stream().filter(e -> e.name().equals("result")).map(Event::id).toList())
                    .isEqualTo(results.subList(5, 12).stream().map(Event::id).toList());

            assertResultFiles(c, api, id);
        }
    }

    @Test
    void cancellingStopsRunningPytestProcessesAndKeepsTheWorkersBusyWithNothing(Coordinator c) {
        Api api = c.api();
        try (WorkerAgent a = c.worker("cancel-a", true); WorkerAgent b = c.worker("cancel-b", false)) {
            a.awaitConnected(Duration.ofSeconds(60));
            b.awaitConnected(Duration.ofSeconds(60));
            long id = api.submitOk("slow.zip", Zips.entries(slowProject(2, 3, 60)), null);
            // a project never seen before starts on the worker that collected it and spreads once a test shows it
            // is worth it: wait until a pytest runs its tests on both
            Awaitility.await("tests running on both workers").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> api.get("/evaluation/" + id).json().get("progress").get("running").asInt() > 0
                            && a.logTail(100).contains(") started") && b.logTail(100).contains(") started"));

            Api.Answer cancelled = api.send("DELETE", "/evaluation/" + id);
            assertThat(cancelled.status()).isEqualTo(200);
            assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
            Awaitility.await("pytest stopped on both workers").atMost(Duration.ofSeconds(30))
                    .until(() -> a.logTail(100).contains("exit code -3") && b.logTail(100).contains("exit code -3"));
            Api.Answer again = api.send("DELETE", "/evaluation/" + id);
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.contentType()).startsWith("application/problem+json");
            assertThat(api.send("DELETE", "/evaluation/987654321").status()).isEqualTo(404);

            long next = api.submitOk("quick.zip", Zips.entries(slowProject(2, 2, 0)), null);
            assertThat(api.awaitFinished(next, Duration.ofMinutes(2)).get("status").asText()).isEqualTo("done");
            JsonNode final0 = api.get("/evaluation/" + id + "?tests=true").json();
            assertThat(final0.get("status").asText()).isEqualTo("cancelled");
            assertThat(final0.get("projects").get(0).get("status").asText()).isEqualTo("cancelled");
        }
    }

    @Test
    void healthMetricsAndOpenApiAreServed(Coordinator c) {
        Api api = c.api();
        Api.Answer ready = api.get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        JsonNode check = ready.json().get("checks").get(0);
        assertThat(check.get("name").asText()).isEqualTo("cdnodes");
        assertThat(check.get("status").asText()).isEqualTo("UP");
        // where CDProto listens is for key holders: /network lists each listen address
        assertThat(api.get("/network").json().has(c.tcpEndpoint().substring(6))).isTrue();
        String metrics = api.get("/metrics?scope=application").body();
        assertThat(metrics).contains("cdnodes_workers_connected", "cdnodes_test_results_total",
                "cdnodes_evaluations_finished_total");
        String openapi = api.get("/openapi").body();
        assertThat(openapi).contains("title: CD Nodes", "/evaluation/{id}", "/stats", "/network");
    }

    private static void assertResultFiles(Coordinator c, Api api, long id) throws Exception {
        Path json = c.dataDir().resolve("test_results/evaluation-" + id + ".json");
        Path xml = c.dataDir().resolve("test_results/evaluation-" + id + ".junit.xml");
        Awaitility.await("result files").atMost(Duration.ofSeconds(20)).until(() -> Files.exists(xml));
        JsonNode written = JSON.readTree(json.toFile());
        JsonNode served = api.get("/evaluation/" + id + "?tests=true").json();
        assertThat(written.get("status").asText()).isEqualTo("done");
        assertThat(written.get("projects").get(0).get("tests")).isEqualTo(served.get("projects").get(0).get("tests"));
        assertThat(Files.readString(xml)).isEqualTo(api.get("/evaluation/" + id + "/junit.xml").body());
    }

    /** {@code files} test files of {@code tests} tests each, every test sleeping {@code seconds}. */
    static List<Map.Entry<String, String>> slowProject(int files, int tests, double seconds) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int f = 0; f < files; f++) {
            StringBuilder src = new StringBuilder("import time\n\n");
            for (int t = 0; t < tests; t++) {
                src.append("def test_").append(t).append("():\n    time.sleep(").append(seconds).append(")\n\n");
            }
            out.put("tests/test_slow" + f + ".py", src.toString());
        }
        return new ArrayList<>(out.entrySet());
    }

    /** Reads a whole event stream (until the server ends it) with the admin key, bounded in time. */
    static List<Event> read(Coordinator c, String path, String lastEventId) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(c.url() + path)).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + c.adminKey()).timeout(Duration.ofMinutes(3));
        if (lastEventId != null) {
            req.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> r = HttpClient.newHttpClient().send(req.build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        List<Event> events = new ArrayList<>();
        String name = null;
        String eid = null;
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = r.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (name != null) {
                        events.add(new Event(name, eid, data.toString()));
                    }
                    name = null;
                    eid = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("id:")) {
                    eid = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).trim());
                }
            }
        }
        if (name != null) {
            events.add(new Event(name, eid, data.toString()));
        }
        return events;
    }
}
