package io.cdnodes.e2e.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real {@code scripts/client.py} (what {@code ./cdnodes submit}, {@code list}... run), as a user would run it. */
public final class SubmitScript {

    private SubmitScript() {
    }

    /** {@code submit} with {@code args} (see {@link #client}). */
    public static Command.Result run(Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of("submit"));
        all.addAll(List.of(args));
        return client(env, all.toArray(String[]::new));
    }

    /**
     * Runs the client with {@code args} (its command first), without the test's own {@code CDNODES_*} variables
     * but with {@code env}, and waits at most five minutes for it to end.
     */
    public static Command.Result client(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of("python3", path().toString()));
        cmd.addAll(List.of(args));
        return Command.run(cmd, Path.of("").toAbsolutePath(), Duration.ofMinutes(5), env);
    }

    /** The script. */
    public static Path path() {
        return Path.of(System.getProperty("cdnodes.root", "..")).resolve("scripts/client.py");
    }
}
