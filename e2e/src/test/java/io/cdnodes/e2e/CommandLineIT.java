package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdnodes.e2e.support.Api;
import io.cdnodes.e2e.support.Command;
import io.cdnodes.e2e.support.Coordinator;
import io.cdnodes.e2e.support.Paths;
import io.cdnodes.e2e.support.PytestOracle;
import io.cdnodes.e2e.support.SharedCoordinator;
import io.cdnodes.e2e.support.SubmitScript;
import io.cdnodes.e2e.support.WorkerAgent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./cdnodes submit/list/show/cancel/rerun} (scripts/client.py) as a user meets it: piped and under a
 * pseudo-terminal ({@code script}), pytest's short summary, counts line and exit codes, {@code -x}, Ctrl-C, and a
 * folder upload that leaves out what its .gitignore says.
 */
@ExtendWith(SharedCoordinator.class)
class CommandLineIT {

    private static final Pattern COUNTS = Pattern.compile("=+ (.*) in [0-9.]+s =+");

    @Test
    void submitFollowsTheEvaluationAndEndsAsPytestWould(Coordinator c) throws Exception {
        Path fixture = Paths.fixture("mixed");
        PytestOracle.Run plain = PytestOracle.run(fixture, List.of(), Map.of(), io.cdnodes.e2e.support.Python.executable());
        Map<String, String> expected = PytestOracle.outcomes(fixture, List.of(), Map.of());
        Map<String, String> env = Map.of("CDNODES_API_KEY", c.adminKey());
        try (WorkerAgent worker = c.worker("cli-follow", true)) {
            worker.awaitConnected(Duration.ofSeconds(60));

            // piped: a line per test, then pytest's summary and counts, exit 1 as pytest's
            Command.Result piped = SubmitScript.run(env, "--url", c.url(), "--wait", fixture.toString());
            assertThat(piped.exit()).as(piped.output()).isEqualTo(plain.exitCode());
            for (Map.Entry<String, String> e : expected.entrySet()) {
                assertThat(piped.output()).contains(e.getKey() + " " + e.getValue().toUpperCase());
                if (e.getValue().equals("failed") || e.getValue().equals("error")) {
                    assertThat(piped.output()).contains((e.getValue().equals("failed") ? "FAILED " : "ERROR ")
                            + e.getKey());
                }
            }
            assertThat(piped.output()).contains("short test summary info");
            assertThat(counts(piped.output())).as("pytest's counts line").isEqualTo(counts(plain.output()));
            long id = submittedId(piped.output());

            // under a terminal: a bar redrawn in place, the same summary
            Command.Result tty = Command.run(List.of("script", "-qec", shell(List.of("python3",
                    SubmitScript.path().toString(), "submit", "--url", c.url(), "--wait", fixture.toString())),
                    "/dev/null"), Path.of("").toAbsolutePath(), Duration.ofMinutes(5), env);
            assertThat(tty.output()).contains("\r[", "#", "tests  passed", "short test summary info")
                    .doesNotContain(" PASSED\n");
            assertThat(counts(tty.output())).isEqualTo(counts(plain.output()));

            // the other commands
            Command.Result list = SubmitScript.client(env, "list", "--url", c.url());
            assertThat(list.exit()).isZero();
            assertThat(list.output()).contains("id", "status", "source").containsPattern("(?m)^" + id + " +done ");
            Command.Result show = SubmitScript.client(env, "show", String.valueOf(id), "--failed", "--url", c.url());
            assertThat(show.exit()).isEqualTo(1);
            assertThat(show.output()).contains("FAILURES", "short test summary info");
            Command.Result cancelled = SubmitScript.client(env, "cancel", String.valueOf(id), "--url", c.url());
            assertThat(cancelled.exit()).isEqualTo(1);
            assertThat(cancelled.output()).contains("had already ended");
            Command.Result rerun = SubmitScript.client(env, "rerun", String.valueOf(id), "--failed", "--wait",
                    "--url", c.url());
            assertThat(rerun.exit()).isEqualTo(1);
            long failed = expected.values().stream().filter("failed"::equals).count();
            long errors = expected.values().stream().filter("error"::equals).count();
            assertThat(counts(rerun.output())).as("only what failed ran again")
                    .startsWith(failed + " failed").endsWith(errors + " error" + (errors > 1 ? "s" : ""))
                    .doesNotContain("skipped", "xfailed");
            Command.Result usage = SubmitScript.client(env, "show", "not-a-number", "--url", c.url());
            assertThat(usage.exit()).as("a usage error, as pytest's").isEqualTo(4);
            Command.Result unreachable = SubmitScript.client(env, "list", "--url", "http://127.0.0.1:9");
            assertThat(unreachable.exit()).as("an internal error: nothing to talk to").isEqualTo(3);
        }
    }

    @Test
    void exitFirstAndCtrlCCancelTheEvaluation(Coordinator c) throws Exception {
        Path slow = Paths.work("cli-slow-").resolve("slow");
        Files.createDirectories(slow.resolve("tests"));
        StringBuilder src = new StringBuilder("import time\n\ndef test_a_first_fails():\n    assert 1 == 2\n\n");
        for (int i = 0; i < 30; i++) {
            src.append("def test_slow_").append(i).append("():\n    time.sleep(1)\n\n");
        }
        Files.writeString(slow.resolve("tests/test_slow.py"), src.toString());
        Map<String, String> env = Map.of("CDNODES_API_KEY", c.adminKey());
        Api api = c.api();
        try (WorkerAgent worker = c.worker("cli-stop", false)) {
            worker.awaitConnected(Duration.ofSeconds(60));

            Command.Result x = SubmitScript.run(env, "--url", c.url(), "--wait", "-x", slow.toString());
            assertThat(x.exit()).as(x.output()).isEqualTo(1);
            assertThat(x.output()).contains("stopping after 1 failure", "FAILED tests/test_slow.py::test_a_first_fails");
            JsonNode stopped = api.get("/evaluation/" + submittedId(x.output())).json();
            assertThat(stopped.get("status").asText()).isEqualTo("cancelled");
            assertThat(stopped.get("progress").get("executed").asInt()).isLessThan(31);

            // Ctrl-C: SIGINT to the client while its evaluation runs
            Path out = Paths.work("cli-int-").resolve("out.txt");
            // SIGINT restored to its default first: a build started in the background (a shell's '&') leaves it
            // ignored in every process below, and Python then keeps it ignored, as a shell's background job should
            ProcessBuilder pb = new ProcessBuilder("python3", "-c", "import os, signal, sys; "
                    + "signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])",
                    "python3", SubmitScript.path().toString(), "submit", "--url", c.url(), "--wait", slow.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("CDNODES_"));
            pb.environment().putAll(env);
            Process p = pb.start();
            await().atMost(Duration.ofMinutes(2)).until(() -> Files.readString(out).contains("SLOW_")
                    || Files.readString(out).contains("_slow_"));
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String printed = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(printed).isEqualTo(2);
            assertThat(printed).contains("interrupted: cancelling evaluation");
            long id = submittedId(printed);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    api.get("/evaluation/" + id).json().get("status").asText().equals("cancelled"));
        }
    }

    @Test
    void aFolderUploadLeavesOutWhatGitIgnoresAndSaysSoWithVerbose(Coordinator c) throws Exception {
        Path project = Paths.work("cli-ignore-").resolve("tidy");
        Files.createDirectories(project.resolve("tests"));
        Files.writeString(project.resolve("tests/test_ok.py"), "def test_ok():\n    assert True\n");
        Files.writeString(project.resolve(".gitignore"), "build/\n*.log\n");
        for (String junk : List.of("build/test_built.py", "venv/test_in_venv.py", ".git/test_in_git.py",
                "tests/__pycache__/test_cached.py")) {
            Files.createDirectories(project.resolve(junk).getParent());
            Files.writeString(project.resolve(junk), "def test_never_sent():\n    assert False\n");
        }
        Files.writeString(project.resolve("venv/pyvenv.cfg"), "home = /usr\n");
        Files.writeString(project.resolve("run.log"), "x\n");
        Map<String, String> env = Map.of("CDNODES_API_KEY", c.adminKey());

        Command.Result dry = SubmitScript.run(env, "--url", c.url(), "--dry-run", "-v", project.toString());
        assertThat(dry.exit()).isZero();
        assertThat(dry.output()).contains("tests/test_ok.py", ".gitignore", "left out: " + project.resolve("build")
                + "/", "left out: " + project.resolve("venv") + "/", "left out: " + project.resolve("run.log"))
                .doesNotContain(project.resolve("build/test_built.py").toString() + "\n");

        try (WorkerAgent worker = c.worker("cli-ignore", true)) {
            worker.awaitConnected(Duration.ofSeconds(60));
            Command.Result r = SubmitScript.run(env, "--url", c.url(), "--wait", "-v", project.toString());
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains("left out of", "build/", "venv/", ".git/", "run.log")
                    .contains("1 passed in");
        }
    }

    /** The counts of pytest's last line, without the time: "6 failed, 17 passed, ..." (warnings left out). */
    private static String counts(String output) {
        Matcher m = COUNTS.matcher(output);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        assertThat(last).as("a counts line in:\n%s", output).isNotNull();
        List<String> parts = new ArrayList<>();
        for (String part : last.split(", ")) {
            if (!part.matches("\\d+ warnings?")) {
                parts.add(part);
            }
        }
        return String.join(", ", parts);
    }

    private static long submittedId(String output) {
        Matcher m = Pattern.compile("evaluation (\\d+) submitted").matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String shell(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            sb.append(sb.length() == 0 ? "" : " ").append("'").append(w.replace("'", "'\\''")).append("'");
        }
        return sb.toString();
    }
}
