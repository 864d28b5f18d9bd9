package io.cdnodes.agent.run;

import io.cdnodes.agent.sandbox.SandboxSpec;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a warm interpreter must have been started with to serve a start: the interpreter, its whole environment
 * (the plugin's {@code CDNODES_*} variables aside, which it is given when it goes on), and the shape of its sandbox.
 */
record WarmKey(String python, Map<String, String> environment, SandboxSpec.Shape sandbox) {

    private static final String PLUGIN_PREFIX = "CDNODES_";

    /** The key of a {@code python -m pytest ...} command, or null for another command (it always starts cold). */
    static WarmKey of(ProcessBuilder pb, SandboxSpec.Shape shape) {
        List<String> cmd = pb.command();
        if (cmd.size() < 3 || !cmd.get(1).equals("-m") || !cmd.get(2).equals("pytest") || !pb.redirectErrorStream()) {
            return null;
        }
        return new WarmKey(cmd.get(0), environment(pb, false), shape);
    }

    /** {@code pb}'s plugin variables ({@code CDNODES_*}): what a warm interpreter is handed when it goes on. */
    static Map<String, String> pluginVariables(ProcessBuilder pb) {
        return environment(pb, true);
    }

    /** {@code pb}'s plugin variables, or all its other variables. */
    private static Map<String, String> environment(ProcessBuilder pb, boolean plugin) {
        Map<String, String> env = new TreeMap<>();
        pb.environment().forEach((k, v) -> {
            if (k.startsWith(PLUGIN_PREFIX) == plugin) {
                env.put(k, v);
            }
        });
        return env;
    }
}
