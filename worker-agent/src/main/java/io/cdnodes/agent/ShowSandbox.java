package io.cdnodes.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdnodes.agent.run.PythonProbe;
import io.cdnodes.agent.sandbox.SandboxLimits;
import io.cdnodes.agent.sandbox.SandboxProbe;
import io.cdnodes.agent.sandbox.SandboxSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints, as one JSON object, the command line a worker on this machine would run a command with in a run's
 * sandbox: {@code {"command": [...], "cwd": "<the run's project folder>", "sandbox": "<description>"}}. The run
 * folder ({@code WORK_DIR/runs/show}) is made ready first, as for a run. For {@code bench/sandbox.py}, which times
 * that very command line, and for anyone who wants to see what a sandbox is:
 *
 * <pre>java -cp cdnodes-worker.jar io.cdnodes.agent.ShowSandbox WORK_DIR PYTHON [ARGS...]</pre>
 *
 * The interpreter is replaced by the one it runs ({@code sys.executable}), as a sandboxed worker does. Exit code
 * {@link ExitCodes#NO_SANDBOX} when this machine cannot sandbox.
 */
public final class ShowSandbox {

    private ShowSandbox() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ShowSandbox WORK_DIR PYTHON [ARGS...]");
            System.exit(ExitCodes.USAGE);
        }
        Path work = Files.createDirectories(Path.of(args[0])).toRealPath();
        PythonProbe.Found python = PythonProbe.find(args[1]);
        SandboxProbe.Chosen chosen;
        try {
            chosen = SandboxProbe.choose(python.install(), work, SandboxLimits.defaults(), List.of());
        } catch (SandboxProbe.Unavailable e) {
            System.err.println("cannot sandbox: " + e.getMessage());
            System.exit(ExitCodes.NO_SANDBOX);
            return;
        }
        Path run = work.resolve("runs").resolve("show");
        Path project = Files.createDirectories(run.resolve("project"));
        List<String> command = new java.util.ArrayList<>(List.of(python.install().executable().toString()));
        command.addAll(Arrays.asList(args).subList(2, args.length));
        ProcessBuilder pb = chosen.sandbox().wrap(new ProcessBuilder(command).directory(project.toFile()),
                SandboxSpec.forRun(run, new SandboxSpec.Shape(List.of(), false)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("command", pb.command());
        out.put("cwd", project.toString());
        out.put("sandbox", chosen.sandbox().description());
        System.out.println(new ObjectMapper().writeValueAsString(out));
    }
}
