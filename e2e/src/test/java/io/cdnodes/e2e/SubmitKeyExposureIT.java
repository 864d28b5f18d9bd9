package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cdnodes.e2e.support.Command;
import io.cdnodes.e2e.support.Paths;
import io.cdnodes.e2e.support.SubmitScript;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where the real {@code scripts/client.py} sends an API key, against HTTP servers of the test's own on loopback (no
 * coordinator needed): the admin key file of the local data folder goes only to a coordinator on this machine; a key
 * follows a redirect only to the same scheme, host and port; a key sent over plain http to another machine comes
 * with a warning. "Another machine" is a name under {@code .invalid} reached through an HTTP proxy (the test's
 * server), so that nothing leaves this machine and the script still sees a remote URL.
 */
class SubmitKeyExposureIT {

    private static final String ADMIN_KEY = "cdn_admin_" + "k".repeat(43);
    private static final String GIVEN_KEY = "cdn_0123456789abcdef_" + "G".repeat(43);
    private static final String REMOTE = "http://coordinator.invalid:8080";

    private Recorder first;
    private Recorder second;
    private Path dataDir;
    private Path project;

    @BeforeEach
    void setUp() throws IOException {
        first = new Recorder();
        second = new Recorder();
        Path work = Paths.work("submit-key-");
        dataDir = Files.createDirectories(work.resolve("data"));
        Files.writeString(dataDir.resolve("admin.key"), ADMIN_KEY + "\n");
        project = work.resolve("passing");
        Files.createDirectories(project.resolve("tests"));
        Files.writeString(project.resolve("tests/test_ok.py"), "def test_ok():\n    assert True\n");
    }

    @AfterEach
    void tearDown() {
        first.close();
        second.close();
    }

    @Test
    void theKeyFollowsARedirectOnlyWithinItsOrigin() throws Exception {
        first.answer("/evaluation", ex -> redirect(ex, first.base() + "/moved"));
        first.answer("/moved", ex -> redirect(ex, second.base() + "/evaluation"));
        second.answer("/evaluation", SubmitKeyExposureIT::created);

        Command.Result r = SubmitScript.run(Map.of("CDNODES_DATA_DIR", dataDir.toString()),
                "--url", first.base(), project.toString());

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(first.requests).containsExactly("POST /evaluation Bearer " + ADMIN_KEY,
                "GET /moved Bearer " + ADMIN_KEY);
        assertThat(second.requests).as("another port is another origin").containsExactly("GET /evaluation -");
        assertThat(r.output()).doesNotContain("warning");
    }

    @Test
    void theLocalAdminKeyFileIsNotSentToAnotherMachine() throws Exception {
        first.answer("/evaluation", ex -> answer(ex, 401, "{\"status\": 401}"));

        Command.Result r = SubmitScript.run(proxied(Map.of("CDNODES_DATA_DIR", dataDir.toString())),
                "--url", REMOTE, project.toString());

        assertThat(first.requests).containsExactly("POST " + REMOTE + "/evaluation -");
        assertThat(r.exit()).as("a refused key is a usage error, as pytest counts them").isEqualTo(4);
        assertThat(r.output()).contains("valid API key (401)").doesNotContain("warning");
    }

    @Test
    void aKeyGivenForAnotherMachineGoesThereOverPlainHttpWithAWarning() throws Exception {
        first.answer("/evaluation", SubmitKeyExposureIT::created);

        Command.Result r = SubmitScript.run(proxied(Map.of("CDNODES_DATA_DIR", dataDir.toString(),
                "CDNODES_API_KEY", GIVEN_KEY)), "--url", REMOTE, project.toString());

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(first.requests).containsExactly("POST " + REMOTE + "/evaluation Bearer " + GIVEN_KEY);
        assertThat(r.output()).contains("warning: the API key goes to coordinator.invalid over plain http")
                .doesNotContain(GIVEN_KEY);
    }

    /** The environment plus {@link #first} as the HTTP proxy for every host. */
    private Map<String, String> proxied(Map<String, String> env) {
        Map<String, String> out = new java.util.HashMap<>(env);
        for (String name : List.of("http_proxy", "HTTP_PROXY")) {
            out.put(name, first.base());
        }
        for (String name : List.of("no_proxy", "NO_PROXY")) {
            out.put(name, "");
        }
        return out;
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(302, -1);
    }

    private static void created(HttpExchange ex) throws IOException {
        answer(ex, 201, "{\"id\": 7, \"status\": \"queued\", \"projects\": [\"passing\"]}");
    }

    private static void answer(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    /** A loopback HTTP server noting "METHOD TARGET AUTHORIZATION-or-dash" for each request it gets. */
    private static final class Recorder implements AutoCloseable {

        interface Answer {
            void handle(HttpExchange ex) throws IOException;
        }

        final List<String> requests = new CopyOnWriteArrayList<>();
        private final Map<String, Answer> answers = new java.util.concurrent.ConcurrentHashMap<>();
        private final HttpServer server;

        Recorder() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void answer(String path, Answer answer) {
            answers.put(path, answer);
        }

        private void handle(HttpExchange ex) throws IOException {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                requests.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + (auth == null ? "-" : auth));
                Answer a = answers.get(ex.getRequestURI().getPath());
                if (a == null) {
                    ex.sendResponseHeaders(404, -1);
                } else {
                    a.handle(ex);
                }
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
