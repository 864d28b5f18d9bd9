package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdnodes.e2e.support.Api;
import io.cdnodes.e2e.support.Coordinator;
import io.cdnodes.e2e.support.Paths;
import io.cdnodes.e2e.support.PytestOracle;
import io.cdnodes.e2e.support.Python;
import io.cdnodes.e2e.support.SharedCoordinator;
import io.cdnodes.e2e.support.WorkerAgent;
import io.cdnodes.e2e.support.Zips;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A hostile project on real sandboxed workers (one on the Unix socket, one over TCP), real Payara Micro, real
 * pytest. Its tests try every way out: writing above their project copy and into the worker's and the
 * coordinator's folders, into /tmp and HOME, appending to the runner's Python files (the plugin, pytest itself),
 * reading the worker token out of /proc, reaching the coordinator's HTTP and CDProto ports and its Unix socket,
 * finding another evaluation's project files, leaving a daemon behind. Inside, each attempt must fail (so every
 * test passes); outside, the test checks that nothing changed: no file written, runner files byte for byte the
 * same, no process left, the token in no result. Then an honest project on the same workers gets exactly plain
 * pytest's outcomes, an unsandboxed worker is refused, and asking for the network is refused.
 */
@ExtendWith(SharedCoordinator.class)
class HostileProjectIT {

    private static final Duration FINISH = Duration.ofMinutes(4);
    private static final String ESCAPES = """
            import glob, os, pathlib, socket, subprocess, sys

            MARKER = os.environ["MARKER"]
            HOST_DIRS = [pathlib.Path(p) for p in os.environ["HOST_DIRS"].split(os.pathsep)]
            RUNNER_FILES = [pathlib.Path(p) for p in os.environ["RUNNER_FILES"].split(os.pathsep)]


            def _wrote(folder):
                try:
                    (folder / (MARKER + ".txt")).write_text("escaped")
                    return True
                except OSError:
                    return False


            def test_nothing_above_the_project_copy_or_in_the_hosts_folders_can_be_written():
                run_folder = pathlib.Path.cwd().parent  # its own, with the copy
                above = [f for f in run_folder.parents if f != pathlib.Path("/tmp")]
                assert [str(f) for f in above + HOST_DIRS if _wrote(f)] == []


            def test_tmp_and_home_are_its_own():
                # they are writable, and checked from outside: nothing of it reaches the host's
                assert _wrote(pathlib.Path("/tmp")) and _wrote(pathlib.Path(os.environ["HOME"]))


            def test_the_runners_files_cannot_be_changed():
                changed = []
                for f in RUNNER_FILES:
                    try:
                        with open(f, "a") as out:
                            out.write("\\n# forged by a test\\n")
                        changed.append(str(f))
                    except OSError:
                        pass
                assert changed == []


            def test_no_process_shows_the_worker_token():
                found = []
                for pid in os.listdir("/proc"):
                    if pid.isdigit():
                        try:
                            environ = open("/proc/%s/environ" % pid, "rb").read()
                        except OSError:
                            continue
                        if b"CDNODES_WORKER_TOKEN" in environ or b"CDNODES_ADMIN_KEY" in environ:
                            found.append(environ.decode(errors="replace"))
                assert found == []  # else the message carries the token, which is checked from outside


            def test_the_coordinators_files_cannot_be_read():
                # by absolute path: its database, its log, its TLS key (made readable by anyone outside: only the sandbox stops it)
                read = []
                for f in os.environ["SECRET_FILES"].split(os.pathsep):
                    try:
                        with open(f, "rb") as src:
                            src.read(1)
                        read.append(f)
                    except OSError:
                        pass
                assert read == []


            def test_the_coordinators_ports_and_socket_are_out_of_reach():
                reached = []
                for port in (int(os.environ["HTTP_PORT"]), int(os.environ["PROTO_PORT"])):
                    try:
                        socket.create_connection(("127.0.0.1", port), timeout=3).close()
                        reached.append(port)
                    except OSError:
                        pass
                unix = socket.socket(socket.AF_UNIX)
                try:
                    unix.connect(os.environ["SOCKET"])
                    reached.append(os.environ["SOCKET"])
                except OSError:
                    pass
                finally:
                    unix.close()
                assert reached == []


            def test_another_evaluations_project_is_not_there():
                found = []
                for host in HOST_DIRS:
                    found += glob.glob(str(host / "**" / "secret_data.txt"), recursive=True)
                for top in ("/tmp", os.environ["HOME"], "/home", "/root", "/srv", "/opt", "/var"):
                    for folder, _, files in os.walk(top):
                        found += [os.path.join(folder, f) for f in files if f == "secret_data.txt"]
                assert found == []


            def test_a_daemon_is_left_behind():
                # double fork and setsid: it leaves its parent and its session, and would sleep on for ten minutes
                subprocess.Popen([sys.executable, "-c", "import os, time\\nif os.fork() == 0:\\n    os.setsid()\\n"
                                  "    time.sleep(600)", MARKER], start_new_session=True).wait()
            """;

    private final String marker = "cdnodes-hostile-" + UUID.randomUUID();

    @Test
    void aHostileProjectGetsNowhereAndAnHonestOneAfterItGetsPlainPytestsOutcomes(Coordinator c) throws Exception {
        Api api = c.api();
        try (WorkerAgent unix = c.worker("hostile-unix", true); WorkerAgent tcp = c.worker("hostile-tcp", false)) {
            unix.awaitConnected(Duration.ofSeconds(60));
            tcp.awaitConnected(Duration.ofSeconds(60));
            assertBothSandboxed(api);

            // another evaluation's project, whose files stay on the workers (package cache, idle session)
            Path victim = victim();
            long first = api.submitOk("victim.zip", Zips.of(victim, ""), null);
            assertThat(api.awaitFinished(first, FINISH).get("status").asText()).isEqualTo("done");
            assertThat(filesNamed(List.of(unix.workDir(), tcp.workDir()), "secret_data.txt"))
                    .as("the victim's files are on a worker, so a hostile test could look for them").isNotEmpty();

            List<Path> runnerFiles = runnerFiles(unix, tcp);
            Map<Path, String> before = digests(runnerFiles);
            List<Path> hostDirs = List.of(unix.workDir(), tcp.workDir(), c.dataDir(), c.dataDir().resolve("db"));
            List<Path> secretFiles = secretFiles(c);
            long hostile = api.submitOk("hostile.zip", Zips.of(hostile(), ""),
                    options(c, hostDirs, runnerFiles, secretFiles));
            JsonNode ev = api.awaitFinished(hostile, FINISH);

            Map<String, String> outcomes = new TreeMap<>();
            List<String> workers = new ArrayList<>();
            for (JsonNode t : ev.get("projects").get(0).get("tests")) {
                outcomes.put(t.get("nodeid").asText(), t.get("outcome").asText() + " " + t.path("message").asText());
                workers.add(t.get("worker").asText());
            }
            assertThat(outcomes).as("every escape failed inside the sandbox").hasSize(16)
                    .allSatisfy((node, outcome) -> assertThat(outcome).as(node).isEqualTo("passed "));
            assertThat(workers).as("both workers ran hostile tests").contains("hostile-unix", "hostile-tcp");
            assertNothingEscaped(api, hostile, hostDirs, runnerFiles, before);

            // the same workers, after it: an honest project gets what plain pytest gives
            Path mixed = Paths.fixture("mixed");
            Map<String, String> expected = PytestOracle.outcomes(mixed, List.of(), Map.of());
            JsonNode honest = api.awaitFinished(api.submitOk("mixed.zip", Zips.of(mixed, ""), null), FINISH);
            Map<String, String> actual = new TreeMap<>();
            honest.get("projects").get(0).get("tests").forEach(t -> actual.put(t.get("nodeid").asText(),
                    t.get("outcome").asText()));
            assertThat(actual).isEqualTo(expected);
        }
    }

    @Test
    void aWorkerThatDoesNotSandboxIsRefusedAndTheNetworkOptionTooUnlessAllowed(Coordinator c) {
        try (WorkerAgent open = new WorkerAgent("unsandboxed", c.unixEndpoint(), Coordinator.TOKEN, 1, null,
                List.of("--sandbox", "off"))) {
            org.awaitility.Awaitility.await("the unsandboxed worker exits").atMost(Duration.ofSeconds(60))
                    .until(() -> !open.isAlive());
            assertThat(open.exitCode()).as(open.logTail(20)).isEqualTo(8);
            assertThat(open.logTail(20)).contains("accepts only workers that run tests in a sandbox");
        }
        Api.Answer refused = c.api().submitZip("net.zip", Zips.of(Paths.fixture("mixed"), ""), "{\"network\": true}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("detail").asText()).contains("CDNODES_ALLOW_NETWORK");
    }

    private void assertBothSandboxed(Api api) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        // the worker logs its WELCOME a moment before the coordinator's dispatcher has taken it in
        org.awaitility.Awaitility.await("both workers in /network/nodes").atMost(Duration.ofSeconds(30))
                .until(() -> {
                    byName.clear();
                    api.get("/network/nodes").json().forEach(n -> byName.put(n.get("name").asText(), n));
                    return byName.keySet().containsAll(List.of("hostile-unix", "hostile-tcp"));
                });
        JsonNode nodes = api.get("/network/nodes").json();
        for (String name : List.of("hostile-unix", "hostile-tcp")) {
            JsonNode n = byName.get(name);
            assertThat(n).as(name + " in " + nodes).isNotNull();
            assertThat(n.get("sandboxed").asBoolean()).isTrue();
            assertThat(n.get("slots").asInt()).isEqualTo(1);
            assertThat(n.get("python").asText()).isNotEmpty();
            assertThat(n.get("pytest").asText()).isNotEmpty();
            Instant since = Instant.parse(n.get("connected_since").asText());
            assertThat(Instant.parse(n.get("last_heartbeat").asText())).isAfterOrEqualTo(since);
        }
        // /network keeps its shape: each address mapped to the addresses it talks to
        api.get("/network").json().fields().forEachRemaining(e -> assertThat(e.getValue().isArray()).isTrue());
    }

    private void assertNothingEscaped(Api api, long hostile, List<Path> hostDirs, List<Path> runnerFiles,
                                      Map<Path, String> before) throws IOException {
        assertThat(digests(runnerFiles)).as("the runner's files, byte for byte").isEqualTo(before);
        List<Path> searched = new ArrayList<>(hostDirs);
        searched.add(Path.of("/tmp"));
        searched.add(Path.of(System.getProperty("user.home")));
        for (Path dir : hostDirs) {
            for (Path up = dir.getParent(); up != null; up = up.getParent()) {
                assertThat(up.resolve(marker + ".txt")).doesNotExist();
            }
        }
        for (Path dir : List.of(Path.of("/tmp"), Path.of(System.getProperty("user.home")))) {
            assertThat(dir.resolve(marker + ".txt")).doesNotExist();
        }
        // the only ones: in the scratch folders its own sandboxes had as /tmp and HOME (runs/<run>/tmp, .../home)
        assertThat(filesNamed(hostDirs, marker + ".txt")).isNotEmpty().allSatisfy(p -> {
            assertThat(p.getParent().getFileName().toString()).isIn("tmp", "home");
            assertThat(p.getParent().getParent().getParent().getFileName().toString()).isEqualTo("runs");
        });
        org.awaitility.Awaitility.await("the daemons end with their sandboxes").atMost(Duration.ofSeconds(15))
                .until(() -> ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine()
                        .map(cmd -> cmd.contains(marker)).orElse(false)));
        String results = api.get("/evaluation/" + hostile + "?tests=true").body()
                + api.get("/evaluation/" + hostile + "/junit.xml").body();
        assertThat(results).doesNotContain(Coordinator.TOKEN).doesNotContain("secret-of-the-victim");
    }

    private static List<Path> filesNamed(List<Path> roots, String name) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path root : roots) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.walk(root)) {
                    s.filter(p -> p.getFileName().toString().equals(name)).forEach(found::add);
                }
            }
        }
        return found;
    }

    /** The plugin folder of each worker, and pytest's own files of the Python they run. */
    private static List<Path> runnerFiles(WorkerAgent... workers) throws IOException {
        List<Path> files = new ArrayList<>();
        for (WorkerAgent w : workers) {
            try (Stream<Path> s = Files.list(w.workDir().resolve("plugin"))) {
                s.filter(p -> p.toString().endsWith(".py")).sorted().forEach(files::add);
            }
        }
        Process p = new ProcessBuilder(Python.executable(), "-c",
                "import pytest, _pytest.main; print(pytest.__file__); print(_pytest.main.__file__)")
                .redirectErrorStream(true).start();
        for (String line : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().split("\n")) {
            files.add(Path.of(line.strip()));
        }
        assertThat(files).allSatisfy(f -> assertThat(f).isRegularFile());
        return files;
    }

    private static Map<Path, String> digests(List<Path> files) throws IOException {
        Map<Path, String> out = new TreeMap<>();
        for (Path f : files) {
            try {
                out.put(f, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /**
     * Files of the coordinator a test must not read. They are made readable by everyone first (the TLS key is 0600),
     * so that only the sandbox, not their mode, keeps a test from them.
     */
    private static List<Path> secretFiles(Coordinator c) throws IOException {
        List<Path> files = new ArrayList<>(List.of(c.dataDir().resolve("tls").resolve("cdproto.key"),
                c.dataDir().resolve("coordinator.log")));
        try (Stream<Path> db = Files.list(c.dataDir().resolve("db"))) {
            db.filter(p -> p.getFileName().toString().endsWith(".mv.db")).forEach(files::add);
        }
        for (Path f : files) {
            assertThat(f).isRegularFile();
            Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
        // the data folder (a temporary folder, 0700) and the tls one: others may pass through (above it, the build's
        // folders already let them)
        for (Path dir : List.of(c.dataDir(), c.dataDir().resolve("tls"), c.dataDir().resolve("db"))) {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString(
                    addOthersTraverse(dir)));
        }
        return files;
    }

    private static String addOthersTraverse(Path dir) throws IOException {
        String mode = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
        return mode.substring(0, 6) + "r-x";
    }

    private String options(Coordinator c, List<Path> hostDirs, List<Path> runnerFiles, List<Path> secretFiles) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SECRET_FILES", join(secretFiles));
        env.put("MARKER", marker);
        env.put("HOST_DIRS", join(hostDirs));
        env.put("RUNNER_FILES", join(runnerFiles));
        env.put("HTTP_PORT", Integer.toString(URI.create(c.url()).getPort()));
        env.put("PROTO_PORT", Integer.toString(c.protoPort()));
        env.put("SOCKET", c.unixEndpoint().substring("unix:".length()));
        StringBuilder json = new StringBuilder("{\"strategy\": \"round-robin\", \"env\": {");
        env.forEach((k, v) -> json.append(json.charAt(json.length() - 1) == '{' ? "" : ", ").append('"').append(k)
                .append("\": \"").append(v).append('"'));
        return json.append("}}").toString();
    }

    private static String join(List<Path> paths) {
        return String.join(File.pathSeparator, paths.stream().map(Path::toString).toList());
    }

    /** Two modules of the same escapes, so that round-robin deals one to each worker. */
    private static Path hostile() throws IOException {
        Path dir = Paths.work("hostile-");
        Files.writeString(dir.resolve("test_escapes_unix_side.py"), ESCAPES);
        Files.writeString(dir.resolve("test_escapes_tcp_side.py"), ESCAPES);
        return dir;
    }

    private static Path victim() throws IOException {
        Path dir = Paths.work("victim-");
        Files.writeString(dir.resolve("secret_data.txt"), "secret-of-the-victim\n");
        Files.writeString(dir.resolve("test_victim.py"), """
                import pathlib

                def test_holds_a_secret():
                    assert pathlib.Path("secret_data.txt").read_text().startswith("secret")
                """);
        return dir;
    }
}
