package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdnodes.e2e.support.Api;
import io.cdnodes.e2e.support.Command;
import io.cdnodes.e2e.support.Coordinator;
import io.cdnodes.e2e.support.FakeGitHub;
import io.cdnodes.e2e.support.Paths;
import io.cdnodes.e2e.support.PytestOracle;
import io.cdnodes.e2e.support.SharedCoordinator;
import io.cdnodes.e2e.support.SubmitScript;
import io.cdnodes.e2e.support.WorkerAgent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Repositories in by URL: a GitHub repository through the fake GitHub API, a missing one, and a real git
 * repository over file:// (in the folder the coordinator allows), with a good token and with a bad one. The answer comes before any fetching; the
 * projects that can be fetched run with outcomes equal to plain pytest's, the others fail with a reason; and
 * the token is found in no answer, no log and not in the database.
 */
@ExtendWith(SharedCoordinator.class)
class RepositoryIntakeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BAD_TOKEN = "ghp_badToken" + java.util.UUID.randomUUID().toString().replace("-", "");

    /** A fresh folder inside the coordinator's file:// root. */
    private final Path tmp = fresh();

    @Test
    void gitHubAndGitRepositoriesRunAsPlainPytestAndTheTokenLeavesNoTrace(Coordinator c, FakeGitHub github)
            throws Exception {
        Api api = c.api();
        List<Api.Answer> answers = new ArrayList<>();
        github.serve("cdnodes", "mixed", Paths.fixture("mixed"));
        Path kata = kataRepository(tmp.resolve("kata"));
        Map<String, String> mixedExpected = PytestOracle.outcomes(Paths.fixture("mixed"), List.of(), Map.of());
        Map<String, String> kataExpected = PytestOracle.outcomes(kata, List.of(), Map.of());
        List<String> urls = List.of("https://github.com/cdnodes/mixed", "http://github.com/cdnodes/missing.git",
                kata.toUri().toString());

        try (WorkerAgent worker = c.worker("repo-w1", false)) {
            worker.awaitConnected(Duration.ofSeconds(60));

            // the answer comes while the download is still held back: fetching happens after it
            github.hold("cdnodes", "mixed");
            Api.Answer created = keep(answers, api.submitJson(submission(FakeGitHub.TOKEN, urls)));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            long id = created.json().get("id").asLong();
            assertThat(created.header("Location")).endsWith("/evaluation/" + id);
            assertThat(created.json().get("status").asText()).isEqualTo("queued");
            assertThat(names(created.json().get("projects"))).containsExactly("mixed", "missing", "kata");
            JsonNode early = keep(answers, api.get("/evaluation/" + id)).json();
            assertThat(early.get("projects").get(0).get("status").asText()).isEqualTo("fetching");
            github.release("cdnodes", "mixed");

            JsonNode ev = finished(api, answers, id);
            assertThat(ev.get("status").asText()).isEqualTo("done");
            JsonNode mixed = project(ev, "mixed");
            assertThat(mixed.get("status").asText()).isEqualTo("done");
            assertThat(outcomes(mixed)).isEqualTo(mixedExpected);
            JsonNode missing = project(ev, "missing");
            assertThat(missing.get("status").asText()).isEqualTo("failed");
            assertThat(missing.get("reason").asText())
                    .isEqualTo("repository cdnodes/missing not found or not visible with this token");
            assertThat(missing.get("grade").asDouble()).isZero();
            assertThat(outcomes(project(ev, "kata"))).isEqualTo(kataExpected);
            assertThat(ev.get("source").asText()).contains("https://github.com/cdnodes/mixed", kata.toUri().toString());

            long badId = keep(answers, api.submitJson(submission(BAD_TOKEN, urls))).json().get("id").asLong();
            JsonNode bad = finished(api, answers, badId);
            assertThat(bad.get("status").asText()).isEqualTo("done");
            for (String name : List.of("mixed", "missing")) {
                assertThat(project(bad, name).get("status").asText()).isEqualTo("failed");
                assertThat(project(bad, name).get("reason").asText()).isEqualTo("the token was refused by GitHub (HTTP 401)");
            }
            assertThat(outcomes(project(bad, "kata"))).isEqualTo(kataExpected);

            keep(answers, api.get("/evaluation"));
            keep(answers, api.get("/evaluation/" + id + "/junit.xml"));
            keep(answers, api.get("/stats"));
            assertNoTrace(List.of(FakeGitHub.TOKEN, BAD_TOKEN), answers, c.dataDir(), worker.process().log().getParent());
        }
        assertThat(github.requests()).contains("/repos/cdnodes/mixed/zipball token",
                "/repos/cdnodes/mixed/zipball wrong token");
        assertThat(github.authorizationsAtDownload()).as("the token never goes to the download host").isEmpty();
    }

    @Test
    void badSubmissionsAreRefusedWithProblemJsonAndRecordNothing(Coordinator c) {
        Api api = c.api();
        int before = api.get("/evaluation").json().size();
        String many = "[" + "\"https://github.com/o/r\",".repeat(500) + "\"https://github.com/o/r\"]";
        Map<String, String> refusals = new java.util.LinkedHashMap<>();
        refusals.put("not json", "the body is not valid JSON (at line 1, column");
        refusals.put("[]", "the body must be a JSON object");
        refusals.put("null", "the body must be a JSON object");
        refusals.put("{}", "projects is missing: give a list of repository URLs");
        refusals.put("{\"projects\": []}", "projects is empty: give at least one repository URL");
        refusals.put("{\"projects\": [7]}", "projects must be an array of strings");
        refusals.put("{\"projects\": [\"https://github.com/o/r\", null]}", "projects[1] is not a string");
        refusals.put("{\"projects\": [\"ftp://example.com/r.git\"]}", "projects[0]: ");
        refusals.put("{\"projects\": [\"https://github.com/o\"]}", "projects[0]: ");
        refusals.put("{\"projects\": [\"https://github.com/o/r\"], \"auth_token\": 7}", "auth_token must be a string");
        refusals.put("{\"projects\": [\"https://github.com/o/r\"], \"options\": {\"pytest_args\": \"-x\"}}",
                "options.pytest_args must be an array of strings");
        refusals.put("{\"projects\": [\"https://github.com/o/r\"], \"options\": {\"env\": {\"CDNODES_X\": \"1\"}}}",
                "options.env holds 'CDNODES_X': variables starting with CDNODES_ are reserved");
        refusals.put("{\"projects\": [\"https://github.com/o/r\"], \"token\": \"x\"}", "'token' is not a known field");
        refusals.put("{\"projects\": " + many + "}", "at most 500 are accepted in one submission");
        refusals.forEach((body, detail) -> {
            Api.Answer a = api.submitJson(body);
            assertThat(a.status()).as(body).isEqualTo(400);
            assertThat(a.contentType()).startsWith("application/problem+json");
            assertThat(a.json().get("type").asText()).isEqualTo("urn:cdnodes:problem:bad-request");
            assertThat(a.json().get("detail").asText()).as(body).contains(detail);
        });
        Api.Answer secret = api.submitJson("{\"auth_token\": \"" + BAD_TOKEN + "\", \"projects\": [\"https://github.com/"
                + BAD_TOKEN + "/r/issues\"]}");
        assertThat(secret.status()).isEqualTo(400);
        assertThat(secret.body()).doesNotContain(BAD_TOKEN);
        assertThat(api.get("/evaluation").json().size()).as("nothing was recorded").isEqualTo(before);
    }

    @Test
    void theSubmitCommandSendsUrlsAsOneJsonSubmission(Coordinator c, FakeGitHub github) throws Exception {
        github.serve("cdnodes", "mixed-cli", Paths.fixture("mixed"));
        Path kata = kataRepository(tmp.resolve("kata-cli"));

        Command.Result mixedInputs = SubmitScript.run(Map.of("CDNODES_API_KEY", c.adminKey()), "--url", c.url(), kata.toUri().toString(), kata.toString());
        assertThat(mixedInputs.exit()).isEqualTo(4);
        assertThat(mixedInputs.output()).contains("cannot go in one submission");

        try (WorkerAgent worker = c.worker("repo-cli", false)) {
            worker.awaitConnected(Duration.ofSeconds(60));
            Command.Result r = SubmitScript.run(Map.of("CDNODES_GITHUB_TOKEN", FakeGitHub.TOKEN, "CDNODES_API_KEY", c.adminKey()), "--url", c.url(), "--wait",
                    "https://github.com/cdnodes/mixed-cli", kata.toUri().toString());
            assertThat(r.exit()).as(r.output()).isEqualTo(1); // both projects have failing tests
            assertThat(r.output()).contains("mixed-cli", "kata-cli").doesNotContain(FakeGitHub.TOKEN);
            assertThat(github.requests()).contains("/repos/cdnodes/mixed-cli/zipball token");
        }
    }


    private static Path fresh() {
        try {
            return Files.createTempDirectory(Paths.repositories(), "intake-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A small project, committed twice with JGit; the second commit is the one that runs. */
    static Path kataRepository(Path at) throws Exception {
        Files.createDirectories(at.resolve("tests"));
        PersonIdent me = new PersonIdent("CD Nodes", "e2e@cdnodes.invalid");
        try (Git git = Git.init().setDirectory(at.toFile()).setInitialBranch("main").call()) {
            Files.writeString(at.resolve("kata.py"), "def double(x):\n    return x * 2\n");
            Files.writeString(at.resolve("tests/test_kata.py"), "def test_old():\n    assert False\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("first").setAuthor(me).setCommitter(me).setSign(false).call();
            Files.writeString(at.resolve("tests/test_kata.py"), """
                    import pytest
                    from kata import double

                    def test_double():
                        assert double(2) == 4

                    def test_double_wrong():
                        assert double(2) == 5

                    @pytest.mark.parametrize("x", [0, 1, 2])
                    def test_even(x):
                        assert double(x) % 2 == 0

                    @pytest.mark.skip(reason="later")
                    def test_later():
                        pass
                    """);
            git.add().addFilepattern(".").call();
            git.commit().setMessage("second").setAuthor(me).setCommitter(me).setSign(false).call();
        }
        return at;
    }

    private static String submission(String token, List<String> urls) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("auth_token", token);
        ArrayNode projects = body.putArray("projects");
        urls.forEach(projects::add);
        body.putObject("options").putObject("env").put("E2E_REPOSITORIES", "yes");
        return JSON.writeValueAsString(body);
    }

    private static JsonNode finished(Api api, List<Api.Answer> answers, long id) {
        Awaitility.await("evaluation " + id).atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> List.of("done", "failed", "cancelled").contains(
                        keep(answers, api.get("/evaluation/" + id)).json().get("status").asText()));
        return keep(answers, api.get("/evaluation/" + id + "?tests=true")).json();
    }

    private static Api.Answer keep(List<Api.Answer> answers, Api.Answer a) {
        answers.add(a);
        return a;
    }

    private static JsonNode project(JsonNode ev, String name) {
        for (JsonNode p : ev.get("projects")) {
            if (p.get("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no project " + name + " in " + ev);
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Map<String, String> outcomes(JsonNode project) {
        Map<String, String> out = new TreeMap<>();
        project.get("tests").forEach(t -> out.put(t.get("nodeid").asText(), t.get("outcome").asText()));
        return out;
    }

    /** The tokens are in no answer (body or header) and in no file under the given folders, database included. */
    static void assertNoTrace(List<String> tokens, List<Api.Answer> answers, Path... folders) throws IOException {
        for (Api.Answer a : answers) {
            for (String token : tokens) {
                assertThat(a.body()).doesNotContain(token);
                assertThat(a.headers().toString()).doesNotContain(token);
            }
        }
        assertThat(folders[0].resolve("db/cdnodes.mv.db")).isRegularFile();
        List<Path> files = new ArrayList<>();
        for (Path folder : folders) {
            // Payara rewrites its own files as it runs: one that vanishes between listing and reading is skipped
            Files.walkFileTree(folder, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a)
                        throws IOException {
                    if (a.isRegularFile()) {
                        byte[] bytes;
                        try {
                            bytes = Files.readAllBytes(f);
                        } catch (java.nio.file.NoSuchFileException gone) {
                            return java.nio.file.FileVisitResult.CONTINUE;
                        }
                        files.add(f);
                        for (String token : tokens) {
                            assertThat(indexOf(bytes, token.getBytes(StandardCharsets.UTF_8))).as("%s holds a token", f)
                                    .isEqualTo(-1);
                        }
                    }
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
        }
        assertThat(files).contains(folders[0].resolve("db/cdnodes.mv.db"), folders[0].resolve("coordinator.log"));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
