package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdnodes.e2e.support.Api;
import io.cdnodes.e2e.support.Coordinator;
import io.cdnodes.e2e.support.FakeGitHub;
import io.cdnodes.e2e.support.Paths;
import io.cdnodes.e2e.support.PytestOracle;
import io.cdnodes.e2e.support.SharedCoordinator;
import io.cdnodes.e2e.support.WorkerAgent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * No way in through repository URLs, from outside as a submitter would try: file:// repositories outside the
 * folder the admin allows (directly, through a link inside it, or missing), http and ssh URLs to loopback
 * addresses written every way, a host that does not resolve, and the allowed fake GitHub redirecting to a
 * loopback port it does not list. Each of those projects fails with the same policy reason while listeners
 * on those ports see no connection at all; in the same submission an allowed GitHub repository, an allowed
 * file:// repository and a repository cloned over http from a listed host run with plain pytest's outcomes.
 */
@ExtendWith(SharedCoordinator.class)
class FetchPolicyIT {

    /** The coordinator's one reason for every refusal (FetchFailure.REFUSED). */
    static final String REFUSED = "refused by this coordinator's fetch policy: it fetches only from hosts whose "
            + "addresses are all public, hosts its admin lists (CDNODES_FETCH_ALLOW_HOSTS), and file:// repositories "
            + "in folders its admin lists (CDNODES_FETCH_FILE_ROOTS)";

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path outside;

    @Test
    void fileAndLoopbackUrlsAreRefusedWithoutAConnectionWhileAllowedOnesRun(Coordinator c, FakeGitHub github)
            throws Exception {
        Path root = Files.createTempDirectory(Paths.repositories(), "policy-");
        Path secret = RepositoryIntakeIT.kataRepository(outside.resolve("secret"));
        Files.createSymbolicLink(root.resolve("linked"), secret);
        Path allowed = RepositoryIntakeIT.kataRepository(root.resolve("allowed"));
        github.serve("cdnodes", "policy-ok", Paths.fixture("mixed"));
        Path served = RepositoryIntakeIT.kataRepository(outside.resolve("served"));
        github.serveGit("cloned", served);

        try (Listener v4 = new Listener("127.0.0.1"); Listener other = new Listener("127.0.0.2");
             Listener v6 = new Listener("::1");
             WorkerAgent worker = c.worker("policy-w1", false)) {
            github.redirect("cdnodes", "bounce", "http://127.0.0.1:" + v4.port() + "/cdnodes/bounce/legacy.zip");
            Map<String, String> refused = new LinkedHashMap<>();
            refused.put("secret", secret.toUri().toString());
            refused.put("linked", root.resolve("linked").toUri().toString());
            refused.put("missing", outside.resolve("missing").toUri().toString());
            refused.put("loopback2", "http://127.0.0.2:" + other.port() + "/team/loopback2.git");
            refused.put("localhost", "http://localhost:" + v4.port() + "/team/localhost.git");
            refused.put("ipv6", "http://[::1]:" + v6.port() + "/team/ipv6.git");
            refused.put("mapped", "https://[::ffff:127.0.0.1]:" + v4.port() + "/team/mapped.git");
            refused.put("ssh", "ssh://git@127.0.0.1:" + v4.port() + "/team/ssh.git");
            refused.put("unresolved", "http://nothing.invalid/team/unresolved.git");
            refused.put("bounce", "https://github.com/cdnodes/bounce");
            List<String> urls = new java.util.ArrayList<>(refused.values());
            urls.add("https://github.com/cdnodes/policy-ok");
            urls.add(allowed.toUri().toString());
            urls.add(github.gitUrl("cloned"));
            worker.awaitConnected(Duration.ofSeconds(60));

            Api api = c.api();
            Api.Answer created = api.submitJson(submission(urls));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            JsonNode ev = api.awaitFinished(created.json().get("id").asLong(), Duration.ofMinutes(5));

            for (String name : refused.keySet()) {
                JsonNode p = project(ev, name);
                assertThat(p.get("status").asText()).as(name).isEqualTo("failed");
                assertThat(p.get("reason").asText()).as(name).isEqualTo(REFUSED);
            }
            assertThat(outcomes(project(ev, "policy-ok")))
                    .isEqualTo(PytestOracle.outcomes(Paths.fixture("mixed"), List.of(), Map.of()));
            Map<String, String> kata = PytestOracle.outcomes(allowed, List.of(), Map.of());
            assertThat(outcomes(project(ev, "allowed"))).isEqualTo(kata);
            assertThat(outcomes(project(ev, "cloned"))).as("cloned over http from a listed host").isEqualTo(kata);
            assertThat(github.requests()).contains("/repos/cdnodes/bounce/zipball token");

            // whatever the coordinator did, it did before recording the failures; a while longer shows nothing late
            Awaitility.await("no connection to the loopback listeners").during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> v4.accepted() + other.accepted() + v6.accepted() == 0);
        }
    }

    private static String submission(List<String> urls) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("auth_token", FakeGitHub.TOKEN);
        urls.forEach(body.putArray("projects")::add);
        return JSON.writeValueAsString(body);
    }

    private static JsonNode project(JsonNode ev, String name) {
        for (JsonNode p : ev.get("projects")) {
            if (p.get("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no project " + name + " in " + ev);
    }

    private static Map<String, String> outcomes(JsonNode project) {
        Map<String, String> out = new TreeMap<>();
        project.get("tests").forEach(t -> out.put(t.get("nodeid").asText(), t.get("outcome").asText()));
        return out;
    }

    /** A port on a loopback address that counts the connections it accepts. */
    private static final class Listener implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicInteger accepted = new AtomicInteger();

        Listener(String address) throws IOException {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "listener-" + address);
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
