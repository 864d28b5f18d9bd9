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
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What users run: several clients at once, and the command-line client {@code ./cdnodes submit}. */
@ExtendWith(SharedCoordinator.class)
class ClientsIT {

    @Test
    void severalClientsSubmittingAtOnceAllGetTheirOwnExactResults(Coordinator c) throws Exception {
        Api api = c.api();
        List<Path> projects = List.of(project("alpha", 3, 4), project("beta", 2, 6), project("gamma", 4, 2));
        try (WorkerAgent a = c.worker("clients-a", true); WorkerAgent b = c.worker("clients-b", false)) {
            a.awaitConnected(Duration.ofSeconds(60));
            b.awaitConnected(Duration.ofSeconds(60));
            ExecutorService clients = Executors.newFixedThreadPool(projects.size());
            try {
                List<Future<Map<String, String>>> answers = new ArrayList<>();
                for (Path p : projects) {
                    Callable<Map<String, String>> client = () -> {
                        long id = c.api().submitOk(p.getFileName() + ".zip", Zips.of(p, ""), null);
                        JsonNode ev = c.api().awaitFinished(id, Duration.ofMinutes(4));
                        assertThat(ev.get("status").asText()).isEqualTo("done");
                        assertThat(ev.get("projects")).hasSize(1);
                        assertThat(ev.get("projects").get(0).get("name").asText()).isEqualTo(p.getFileName().toString());
                        Map<String, String> got = new TreeMap<>();
                        ev.get("projects").get(0).get("tests")
                                .forEach(t -> got.put(t.get("nodeid").asText(), t.get("outcome").asText()));
                        return got;
                    };
                    answers.add(clients.submit(client));
                }
                for (int i = 0; i < projects.size(); i++) {
                    assertThat(answers.get(i).get(5, TimeUnit.MINUTES))
                            .isEqualTo(PytestOracle.outcomes(projects.get(i), List.of(), Map.of()));
                }
            } finally {
                clients.shutdownNow();
            }
            assertThat(api.get("/evaluation").json().size()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void theSubmitCommandShowsProgressASummaryAndExitsLikePytest(Coordinator c) throws Exception {
        try (WorkerAgent a = c.worker("cli-a", false)) {
            a.awaitConnected(Duration.ofSeconds(60));
            Path work = Paths.work("cli-");
            Path junit = work.resolve("results.xml");
            Path failing = project("failing", 2, 3);
            Command.Result r = SubmitScript.run(Map.of("CDNODES_API_KEY", c.adminKey()), "--url", c.url(), "--wait", "--junit", junit.toString(), failing.toString());
            assertThat(r.exit()).as(r.output()).isEqualTo(1);
            assertThat(r.output()).contains("project", "grade", "failing", "done", "short test summary info",
                    "FAILED tests/");
            assertThat(DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(Files.readAllBytes(junit)))
                    .getElementsByTagName("testcase").getLength()).isEqualTo(6);

            Path passing = Paths.work("cli-ok-").resolve("passing");
            Files.createDirectories(passing.resolve("tests"));
            Files.writeString(passing.resolve("tests/test_ok.py"), "def test_ok():\n    assert True\n");
            Command.Result ok = SubmitScript.run(Map.of("CDNODES_API_KEY", c.adminKey()), "--url", c.url(), "--wait", passing.toString());
            assertThat(ok.exit()).as(ok.output()).isZero();

            Command.Result refused = SubmitScript.run(Map.of("CDNODES_API_KEY", c.adminKey()), "--url", c.url(), Paths.fixture("mixed").resolve("pyproject.toml").toString());
            assertThat(refused.exit()).as(refused.output()).isEqualTo(4);
            assertThat(refused.output()).contains("refused (400)");
        }
    }


    /** A project of {@code files} files with {@code tests} tests each; every third test fails. */
    static Path project(String name, int files, int tests) throws Exception {
        Path dir = Paths.work("client-").resolve(name);
        Files.createDirectories(dir.resolve("tests"));
        for (int f = 0; f < files; f++) {
            StringBuilder src = new StringBuilder();
            for (int t = 0; t < tests; t++) {
                src.append("def test_").append(t).append("():\n    assert ").append((f + t) % 3 != 0).append("\n\n");
            }
            Files.writeString(dir.resolve("tests/test_" + name + f + ".py"), src.toString());
        }
        return dir;
    }
}
