package io.cdnodes.agent.run;

import io.cdnodes.agent.TestPlugin;
import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.AssignmentKind;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.TestResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A project folder, the plugin, a runs folder and a recording sink: what one {@link PytestRun} needs. */
final class RunFixture {

    static final String PKG = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    final Path project;
    final Path runs;
    final RunSettings settings;
    final List<Frame> frames = new CopyOnWriteArrayList<>();

    RunFixture(Path tmp) throws IOException {
        this(tmp, "python3");
    }

    RunFixture(Path tmp, String python) throws IOException {
        this.project = Files.createDirectories(tmp.resolve("package"));
        this.runs = Files.createDirectories(tmp.resolve("runs"));
        this.settings = new RunSettings(python, TestPlugin.install(tmp.resolve("plugin")), runs, 64 * 1024, 4000);
    }

    /** The same folders with other settings. */
    RunFixture(Path project, Path runs, RunSettings settings) {
        this.project = project;
        this.runs = runs;
        this.settings = settings;
    }

    /** The same folders, with the machine's real sandbox and the interpreter it starts. */
    RunFixture sandboxed() {
        return new RunFixture(project, runs, settings.sandboxed(io.cdnodes.agent.sandbox.TestSandbox.sandbox(),
                io.cdnodes.agent.sandbox.TestSandbox.python()));
    }

    RunFixture file(String relative, String content) throws IOException {
        Path p = project.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return this;
    }

    PytestRun run(Assign assign) {
        return new PytestRun(assign, project, settings, frames::add);
    }

    /** A run that may use (or start) a serving pytest of {@code sessions}. */
    PytestRun run(Assign assign, PytestSessions sessions) {
        return new PytestRun(assign, project, settings, frames::add, sessions);
    }

    static Assign collect(long id) {
        return new Assign(id, 1, 10, 20, PKG, AssignmentKind.COLLECT, List.of(), Map.of(), List.of(), 120);
    }

    static Assign run(long id, List<String> nodeIds, List<String> args, Map<String, String> env, long timeout) {
        return new Assign(id, 1, 10, 20, PKG, AssignmentKind.RUN, args, env, nodeIds, timeout);
    }

    List<TestResult> results() {
        return frames.stream().filter(TestResult.class::isInstance).map(TestResult.class::cast).toList();
    }

    /** The node ids reported started, in order. */
    List<String> started() {
        return frames.stream().filter(io.cdnodes.protocol.frame.TestStarted.class::isInstance)
                .map(f -> ((io.cdnodes.protocol.frame.TestStarted) f).nodeId()).toList();
    }

    AssignmentDone done() {
        return (AssignmentDone) frames.get(frames.size() - 1);
    }

    /** No pytest (or anything else) left running below this JVM. */
    static boolean noChildProcesses() {
        return ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive);
    }
}
