package io.cdnodes.e2e.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real {@code scripts/submit.py} (what {@code ./cdnodes submit} runs), as a user would run it. */
public final class SubmitScript {

    /** How it ended: its exit code and everything it printed. */
    public record Result(int exit, String output) {
    }

    private SubmitScript() {
    }

    /**
     * Runs it with {@code args}, without the test's own {@code CDNODES_*} variables but with {@code env}, and
     * waits at most five minutes for it to end.
     */
    public static Result run(Map<String, String> env, String... args) throws Exception {
        Path script = Path.of(System.getProperty("cdnodes.root", "..")).resolve("scripts/submit.py");
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(Paths.work("submit-"), "submit", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CDNODES_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("submit did not end:\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }
}
