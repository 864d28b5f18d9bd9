package io.cdnodes.e2e.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real {@code scripts/submit.py} (what {@code ./cdnodes submit} runs), as a user would run it. */
public final class SubmitScript {

    private SubmitScript() {
    }

    /**
     * Runs it with {@code args}, without the test's own {@code CDNODES_*} variables but with {@code env}, and
     * waits at most five minutes for it to end.
     */
    public static Command.Result run(Map<String, String> env, String... args) {
        Path script = Path.of(System.getProperty("cdnodes.root", "..")).resolve("scripts/submit.py");
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
        cmd.addAll(List.of(args));
        return Command.run(cmd, Path.of("").toAbsolutePath(), Duration.ofMinutes(5), env);
    }
}
