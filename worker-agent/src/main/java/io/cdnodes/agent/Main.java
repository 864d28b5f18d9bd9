package io.cdnodes.agent;

import io.cdnodes.agent.link.AgentListener;
import io.cdnodes.agent.run.PythonProbe;
import io.cdnodes.agent.sandbox.SandboxSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The worker's command line. Every option also has an environment variable; see the module README. */
@Command(name = "cdnodes-worker", mixinStandardHelpOptions = true, version = "CD Nodes worker 1.0",
        description = "Connects to a CD Nodes coordinator and runs the pytest work it assigns.")
public final class Main implements Callable<Integer> {

    @Mixin
    LinkOptions link;

    @Mixin
    SandboxOptions sandbox;

    @Option(names = "--name", defaultValue = "${env:CDNODES_WORKER_NAME}",
            description = "the worker's name (env CDNODES_WORKER_NAME; default HOST-PID)")
    String name;

    @Option(names = "--slots", defaultValue = "${env:CDNODES_WORKER_SLOTS:-1}",
            description = "pytest processes at once (env CDNODES_WORKER_SLOTS; default ${DEFAULT-VALUE})")
    int slots;

    @Option(names = "--work-dir", defaultValue = "${env:CDNODES_WORKER_DIR}",
            description = "packages and runs (env CDNODES_WORKER_DIR; default ./worker-data/NAME)")
    Path workDir;

    @Option(names = "--python", defaultValue = "${env:CDNODES_PYTHON:-python3}",
            description = "the Python that has pytest (env CDNODES_PYTHON; default ${DEFAULT-VALUE})")
    String python;

    @Option(names = "--max-packages", defaultValue = "${env:CDNODES_WORKER_MAX_PACKAGES:-32}",
            description = "unpacked packages kept (default ${DEFAULT-VALUE})")
    int maxPackages;

    @Option(names = "--max-package-mb", defaultValue = "${env:CDNODES_WORKER_MAX_PACKAGE_MB:-1024}",
            description = "largest package accepted, MiB (default ${DEFAULT-VALUE})")
    long maxPackageMb;

    @Option(names = "--max-output-kb", defaultValue = "${env:CDNODES_WORKER_MAX_OUTPUT_KB:-256}",
            description = "pytest output kept per run, KiB (default ${DEFAULT-VALUE})")
    long maxOutputKb;

    @Option(names = "--session-idle-s", defaultValue = "${env:CDNODES_WORKER_SESSION_IDLE_S:-30}",
            description = "how long a pytest process is kept for the next batch of the same project, s; 0 starts "
                    + "pytest for every assignment (default ${DEFAULT-VALUE})")
    long sessionIdleS;

    @Option(names = "--backoff-max-ms", defaultValue = "${env:CDNODES_WORKER_BACKOFF_MAX_MS:-5000}",
            description = "longest reconnect delay, ms (default ${DEFAULT-VALUE})")
    long backoffMaxMs;

    @Option(names = "--drain-grace-s", defaultValue = "${env:CDNODES_WORKER_DRAIN_S:-25}",
            description = "on SIGTERM, how long running tests may take to finish before they are killed, s "
                    + "(default ${DEFAULT-VALUE})")
    long drainGraceS;

    @Option(names = "--alive-file", defaultValue = "${env:CDNODES_WORKER_ALIVE_FILE}",
            description = "a file whose time is set at every heartbeat sent to the coordinator: a liveness probe "
                    + "(the worker image's HEALTHCHECK) reads its age")
    Path aliveFile;

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format",
                    "%1$tF %1$tT.%1$tL %4$s [worker] %5$s%6$s%n");
        }
        System.exit(new CommandLine(new Main()).setExitCodeExceptionMapper(e -> ExitCodes.USAGE).execute(args));
    }

    @Override
    public Integer call() {
        AgentListener listener = aliveFile == null ? AgentListener.LOGGING
                : new AliveFile(aliveFile, AgentListener.LOGGING);
        AgentConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            System.err.println("cdnodes-worker: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        Startup.warnAboutWhatIsOpen(config, listener);
        PythonProbe.Found found;
        try {
            found = PythonProbe.find(config.python());
        } catch (IOException e) {
            System.err.println("cdnodes-worker: " + e.getMessage());
            return ExitCodes.NO_PYTEST;
        }
        Agent agent;
        try {
            agent = Startup.prepare(config, found, Duration.ofSeconds(Math.max(0, sessionIdleS)), listener);
        } catch (IOException e) {
            System.err.println("cdnodes-worker: cannot prepare " + config.workDir() + ": " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (agent == null) {
            return ExitCodes.NO_SANDBOX;
        }
        Thread main = Thread.currentThread();
        Duration grace = Duration.ofSeconds(Math.max(0, drainGraceS));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.stop(grace);
            try {
                main.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "agent-shutdown"));
        return agent.run();
    }

    /**
     * The configuration the command line and the environment give.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    AgentConfig config() {
        String n = name == null || name.isBlank() ? defaultName() : name;
        Path dir = workDir != null ? workDir : Path.of("worker-data", n);
        SandboxSettings sandboxSettings = sandbox.settings();
        return new AgentConfig(link.endpoint(), link.token(), n, slots, dir.toAbsolutePath(), python, maxPackages,
                maxPackageMb * 1024 * 1024, Duration.ofMillis(200), Duration.ofMillis(Math.max(200, backoffMaxMs)),
                maxOutputKb * 1024, 4000, link.trust(), link.plainTcp, link.insecureNoToken, sandboxSettings);
    }

    private static String defaultName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "worker";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
