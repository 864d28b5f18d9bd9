package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdnodes.e2e.support.Api;
import io.cdnodes.e2e.support.Command;
import io.cdnodes.e2e.support.Coordinator;
import io.cdnodes.e2e.support.Dockerfile;
import io.cdnodes.e2e.support.FreePort;
import io.cdnodes.e2e.support.ManagedProcess;
import io.cdnodes.e2e.support.Paths;
import io.cdnodes.e2e.support.PytestOracle;
import io.cdnodes.e2e.support.Python;
import io.cdnodes.e2e.support.Zips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Docker side, as far as it can be checked without a Docker engine: the compose file validates with the
 * {@code docker-compose} client, and the images' own commands (their ENV, ENTRYPOINT and HEALTHCHECK, read from
 * {@code docker/Dockerfile}) run as plain processes against the built tree, with only the paths, ports and the
 * coordinator's host name mapped to this machine: the coordinator's health check passes once it is ready, the
 * worker's once it has sent a heartbeat, and a project submitted to them gives plain pytest's outcomes.
 */
class DockerImagesIT {

    private static final Path ROOT = Path.of(System.getProperty("cdnodes.root", "..")).toAbsolutePath().normalize();

    @Test
    void theComposeFileValidatesAndSaysWhatItNeeds() throws Exception {
        Command.Result ok = run(List.of("docker-compose", "-f", "docker-compose.yml", "config"),
                Map.of("CDNODES_WORKER_TOKEN", "t0ken"), ROOT);
        assertThat(ok.exit()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("dockerfile: docker/Dockerfile", "target: coordinator", "target: worker",
                "127.0.0.1:8080:8080", "condition: service_healthy", "- /work", "pids_limit", "mem_limit: 4g",
                "seccomp:./docker/worker/seccomp.json");

        Command.Result noToken = run(List.of("docker-compose", "-f", "docker-compose.yml", "config"), Map.of(), ROOT);
        assertThat(noToken.exit()).isNotZero();
        assertThat(noToken.output()).contains("set CDNODES_WORKER_TOKEN to a long random secret");
    }

    @Test
    void theImagesCommandsRunAsPlainProcesses() throws Exception {
        Path work = Paths.work("images-");
        Path data = work.resolve("data");
        Path socket = Files.createTempDirectory(Path.of("/tmp"), "cdn-img-").resolve("cdproto.sock");
        int http = FreePort.find();
        int proto = FreePort.find();
        String adminKey = "e2e-images-admin-" + UUID.randomUUID();

        Dockerfile.Stage coordinatorImage = Dockerfile.stage("coordinator");
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("/data/cdproto.sock", socket.toString()); // sun_path is short: not under the build folder
        paths.put("/data", data.toString());
        paths.put("/opt/cdnodes/payara-micro.jar", Paths.payaraJar().toString());
        paths.put("/opt/cdnodes/cdnodes-connector.rar", Paths.rar().toString());
        paths.put("/opt/cdnodes/cdnodes-web.war", Paths.war().toString());
        paths.put("/opt/cdnodes/post-boot-commands.asadmin", Paths.postBootCommands().toString());
        Map<String, String> env = mapped(coordinatorImage.env(), paths);
        assertThat(env).containsEntry("CDNODES_REQUIRE_SANDBOX", "true").containsKey("JAVA_OPTS");
        env.put("CDNODES_HTTP_PORT", Integer.toString(http));
        env.put("CDNODES_PROTO_PORT", Integer.toString(proto));
        env.put("CDNODES_PROTO_HOST", "127.0.0.1"); // the image binds every interface; tests stay on loopback
        env.put("CDNODES_WORKER_TOKEN", Coordinator.TOKEN);
        env.put("CDNODES_ADMIN_KEY", adminKey);
        Files.createDirectories(data);

        try (ManagedProcess coordinator = new ManagedProcess(mapped(coordinatorImage.entrypoint(), paths), env, data,
                work.resolve("coordinator.log"))) {
            awaitHealthy("coordinator", coordinatorImage.healthcheck(), env, coordinator, Duration.ofMinutes(3));

            Dockerfile.Stage workerImage = Dockerfile.stage("worker");
            Map<String, String> workerPaths = new LinkedHashMap<>();
            workerPaths.put("/opt/cdnodes/cdnodes-worker.jar", Paths.workerJar().toString());
            workerPaths.put("/work", work.resolve("worker").toString());
            workerPaths.put("tcp://coordinator:7000", "tcp://127.0.0.1:" + proto);
            Map<String, String> workerEnv = mapped(workerImage.env(), workerPaths);
            assertThat(workerEnv).containsEntry("CDNODES_SANDBOX", "required")
                    .containsKey("CDNODES_WORKER_ALIVE_FILE");
            workerEnv.put("CDNODES_PYTHON", Python.executable());
            workerEnv.put("CDNODES_WORKER_TOKEN", Coordinator.TOKEN);
            workerEnv.put("CDNODES_TLS_CA", data.resolve("tls/cdproto.crt").toString()); // as compose mounts it
            Files.createDirectories(work.resolve("worker"));
            try (ManagedProcess worker = new ManagedProcess(mapped(workerImage.entrypoint(), workerPaths), workerEnv,
                    work.resolve("worker"), work.resolve("worker.log"))) {
                assertThat(health(workerImage.healthcheck(), workerEnv)).as("unhealthy before its first heartbeat")
                        .isNotZero();
                awaitHealthy("worker", workerImage.healthcheck(), workerEnv, worker, Duration.ofMinutes(2));

                Path fixture = Paths.fixture("mixed");
                Map<String, String> expected = PytestOracle.outcomes(fixture, List.of(), Map.of());
                Api api = new Api("http://127.0.0.1:" + http, adminKey);
                long id = api.submitOk("mixed.zip", Zips.of(fixture, ""), null);
                JsonNode done = api.awaitFinished(id, Duration.ofMinutes(5));
                assertThat(done.get("status").asText()).isEqualTo("done");
                Map<String, String> actual = new TreeMap<>();
                for (JsonNode t : done.get("projects").get(0).get("tests")) {
                    actual.put(t.get("nodeid").asText(), t.get("outcome").asText());
                }
                assertThat(actual).isEqualTo(expected);
            }
        }
    }

    private static Map<String, String> mapped(Map<String, String> env, Map<String, String> paths) {
        Map<String, String> out = new HashMap<>();
        env.forEach((k, v) -> out.put(k, map(v, paths)));
        return out;
    }

    private static List<String> mapped(List<String> command, Map<String, String> paths) {
        List<String> out = new ArrayList<>();
        for (String part : command) {
            out.add(map(part, paths));
        }
        return out;
    }

    /** Every image path in one pass, the longest first, so that a mapped path is not mapped again. */
    private static String map(String s, Map<String, String> paths) {
        String alternatives = paths.keySet().stream().sorted((a, b) -> b.length() - a.length())
                .map(java.util.regex.Pattern::quote).reduce((a, b) -> a + "|" + b).orElseThrow();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(alternatives).matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(paths.get(m.group())));
        }
        return m.appendTail(out).toString();
    }

    private static void awaitHealthy(String what, List<String> healthcheck, Map<String, String> env,
                                     ManagedProcess process, Duration timeout) throws Exception {
        assertThat(healthcheck).as(what + "'s HEALTHCHECK").isNotEmpty();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (health(healthcheck, env) != 0) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the " + what + "'s health check did not pass:\n" + process.logTail(40));
            }
            Thread.sleep(500);
        }
    }

    private static int health(List<String> healthcheck, Map<String, String> env) {
        return run(healthcheck, env, ROOT).exit();
    }

    private static Command.Result run(List<String> cmd, Map<String, String> env, Path dir) {
        return Command.run(cmd, dir, Duration.ofSeconds(60), env);
    }
}
