package io.cdnodes.agent;

import io.cdnodes.agent.deps.DeclarationScanner;
import io.cdnodes.agent.link.AgentListener;
import io.cdnodes.agent.packages.Folders;
import io.cdnodes.agent.packages.PackageCache;
import io.cdnodes.agent.run.PythonProbe;
import io.cdnodes.agent.run.RunSettings;
import io.cdnodes.agent.sandbox.Sandbox;
import io.cdnodes.agent.sandbox.SandboxLimits;
import io.cdnodes.agent.sandbox.SandboxMode;
import io.cdnodes.agent.sandbox.SandboxProbe;
import io.cdnodes.agent.sandbox.SandboxSettings;
import io.cdnodes.protocol.pkg.UnzipLimits;
import io.cdnodes.protocol.tls.CoordinatorTrust;
import io.cdnodes.protocol.tls.Fingerprint;
import io.cdnodes.protocol.tls.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The worker's command line. Every option also has an environment variable; see the module README. */
@Command(name = "cdnodes-worker", mixinStandardHelpOptions = true, version = "CD Nodes worker 1.0",
        description = "Connects to a CD Nodes coordinator and runs the pytest work it assigns.")
public final class Main implements Callable<Integer> {

    @Option(names = "--coordinator", defaultValue = "${env:CDNODES_COORDINATOR:-tcp://127.0.0.1:7000}",
            description = "tcp://HOST:PORT or unix:PATH (env CDNODES_COORDINATOR; default ${DEFAULT-VALUE})")
    String coordinator;

    @Option(names = "--token", defaultValue = "${env:CDNODES_WORKER_TOKEN}",
            description = "the worker token (env CDNODES_WORKER_TOKEN; prefer the variable: arguments show in ps)")
    String token;

    @Option(names = "--insecure-no-worker-token", defaultValue = "${env:CDNODES_INSECURE_NO_WORKER_TOKEN:-false}",
            description = "run without a token, for a coordinator started with CDNODES_INSECURE_NO_WORKER_TOKEN=true "
                    + "(env CDNODES_INSECURE_NO_WORKER_TOKEN)")
    boolean insecureNoToken;

    @Option(names = "--tls-fingerprint", defaultValue = "${env:CDNODES_TLS_FINGERPRINT}",
            description = "trust exactly the coordinator certificate with this SHA-256 (64 hex digits, as the "
                    + "coordinator logs it and writes it to DATA/tls/cdproto.sha256; env CDNODES_TLS_FINGERPRINT)")
    String tlsFingerprint;

    @Option(names = "--tls-ca", defaultValue = "${env:CDNODES_TLS_CA}",
            description = "trust coordinator certificates issued by the CA certificates in this PEM file for the host "
                    + "dialled (the coordinator's own DATA/tls/cdproto.crt will do; env CDNODES_TLS_CA)")
    Path tlsCa;

    @Option(names = "--plain-tcp", defaultValue = "${env:CDNODES_PLAIN_TCP:-false}",
            description = "speak to a tcp:// coordinator without TLS, for one started with CDNODES_PROTO_TLS=false: "
                    + "the token and all work cross the network in clear (env CDNODES_PLAIN_TCP)")
    boolean plainTcp;

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

    @Option(names = "--sandbox", defaultValue = "${env:CDNODES_SANDBOX:-auto}",
            description = "run every process of a project in a bubblewrap sandbox: auto (if it works here, else warn "
                    + "and run unsandboxed), required (exit " + ExitCodes.NO_SANDBOX + " if it cannot), off "
                    + "(env CDNODES_SANDBOX; default ${DEFAULT-VALUE})")
    String sandbox;

    @Option(names = "--sandbox-max-processes", defaultValue = "${env:CDNODES_SANDBOX_MAX_PROCESSES:-4096}",
            description = "processes and threads of a sandbox's user at once, 0 for no limit (default ${DEFAULT-VALUE})")
    long sandboxMaxProcesses;

    @Option(names = "--sandbox-max-open-files", defaultValue = "${env:CDNODES_SANDBOX_MAX_OPEN_FILES:-4096}",
            description = "open files per sandboxed process, 0 for no limit (default ${DEFAULT-VALUE})")
    long sandboxMaxOpenFiles;

    @Option(names = "--sandbox-max-file-mb", defaultValue = "${env:CDNODES_SANDBOX_MAX_FILE_MB:-1024}",
            description = "largest file a sandboxed process may write, MiB, 0 for no limit (default ${DEFAULT-VALUE})")
    long sandboxMaxFileMb;

    @Option(names = "--sandbox-max-memory-mb", defaultValue = "${env:CDNODES_SANDBOX_MAX_MEMORY_MB:-4096}",
            description = "address space per sandboxed process, MiB, 0 for no limit (default ${DEFAULT-VALUE})")
    long sandboxMaxMemoryMb;

    @Option(names = "--sandbox-ro-bind", split = ":", defaultValue = "${env:CDNODES_SANDBOX_RO_BINDS}",
            description = "more folders every sandbox shows read-only, ':'-separated or repeated "
                    + "(env CDNODES_SANDBOX_RO_BINDS)")
    List<String> sandboxReadOnly;

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format",
                    "%1$tF %1$tT %4$s [worker] %5$s%6$s%n");
        }
        System.exit(new CommandLine(new Main()).setExitCodeExceptionMapper(e -> ExitCodes.USAGE).execute(args));
    }

    @Override
    public Integer call() {
        AgentListener listener = AgentListener.LOGGING;
        AgentConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            System.err.println("cdnodes-worker: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        warnAboutWhatIsOpen(config, listener);
        PythonProbe.Found found;
        try {
            found = PythonProbe.find(config.python());
        } catch (IOException e) {
            System.err.println("cdnodes-worker: " + e.getMessage());
            return ExitCodes.NO_PYTEST;
        }
        Agent agent;
        try {
            agent = prepare(config, found, listener);
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
        SandboxSettings sandboxSettings = new SandboxSettings(SandboxMode.parse(sandbox), new SandboxLimits(
                sandboxMaxProcesses, sandboxMaxOpenFiles, sandboxMaxFileMb * 1024 * 1024,
                sandboxMaxMemoryMb * 1024 * 1024), sandboxReadOnly == null ? List.of()
                : sandboxReadOnly.stream().filter(p -> !p.isBlank()).map(Path::of).toList());
        return new AgentConfig(Endpoint.parse(coordinator), token == null ? "" : token, n, slots,
                dir.toAbsolutePath(), python, maxPackages, maxPackageMb * 1024 * 1024, Duration.ofMillis(200),
                Duration.ofMillis(Math.max(200, backoffMaxMs)), maxOutputKb * 1024, 4000, trust(), plainTcp,
                insecureNoToken, sandboxSettings);
    }

    /** How the coordinator's certificate is checked, from --tls-fingerprint or --tls-ca; null for neither. */
    private CoordinatorTrust trust() {
        boolean pinned = tlsFingerprint != null && !tlsFingerprint.isBlank();
        if (pinned && tlsCa != null) {
            throw new IllegalArgumentException("give --tls-fingerprint or --tls-ca, not both");
        }
        if (pinned) {
            return CoordinatorTrust.pinned(Fingerprint.parse(tlsFingerprint));
        }
        if (tlsCa == null) {
            return null;
        }
        try {
            return CoordinatorTrust.authorities(Pem.readCertificates(tlsCa), tlsCa.toString());
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("--tls-ca " + tlsCa + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Says, at every start, what the configuration leaves open. */
    private static void warnAboutWhatIsOpen(AgentConfig config, AgentListener listener) {
        if (config.token().isEmpty()) {
            listener.problem("running WITHOUT a worker token (--insecure-no-worker-token): only a coordinator that "
                    + "accepts any worker takes this one, and anyone can pose as that coordinator", null);
        }
        if (config.plainTcp() && config.coordinator() instanceof Endpoint.Tcp) {
            listener.problem("PLAIN TCP (--plain-tcp): the worker token, every project and every result cross the "
                    + "network in clear, readable and changeable on the way", null);
        }
    }

    /**
     * The work folder (plugin, an empty runs folder, the package cache), the sandbox, and the agent; null when
     * {@code --sandbox required} cannot be met.
     */
    private Agent prepare(AgentConfig config, PythonProbe.Found found, AgentListener listener) throws IOException {
        Path work = Files.createDirectories(config.workDir()).toRealPath();
        Path pluginDir = installPlugin(work.resolve("plugin"));
        Path runs = work.resolve("runs");
        Folders.delete(runs);
        Files.createDirectories(runs);
        RunSettings settings = new RunSettings(config.python(), pluginDir, runs, config.maxOutputBytes(),
                config.maxMessageChars(), work.resolve("venvs"), Duration.ofSeconds(Math.max(0, sessionIdleS)));
        SandboxProbe.Chosen chosen = chooseSandbox(config.sandbox(), found, work, listener);
        if (chosen == null) {
            return null;
        }
        if (chosen.sandbox().enabled()) {
            settings = settings.sandboxed(chosen.sandbox(), found.install().executable().toString());
        }
        PackageCache cache = new PackageCache(work.resolve("packages"), config.maxPackages(),
                config.maxPackageBytes(), UnzipLimits.defaults());
        listener.status("worker " + config.name() + " (Python " + chosen.python() + ", pytest " + chosen.pytest()
                + ", " + config.slots() + " slot(s)) connecting to " + config.coordinator());
        return new Agent(config, listener, cache, settings, chosen.python(), chosen.pytest());
    }

    /**
     * The sandbox runs get, as {@code settings} ask and this machine allows, logged either way; null when
     * {@code --sandbox required} cannot be met (the reason is printed).
     */
    static SandboxProbe.Chosen chooseSandbox(SandboxSettings settings, PythonProbe.Found found, Path workDir,
                                             AgentListener listener) {
        PythonProbe.Versions outside = found.versions();
        if (settings.mode() == SandboxMode.OFF) {
            listener.problem(unsandboxed("switched off (--sandbox off)"), null);
            return new SandboxProbe.Chosen(Sandbox.off("switched off (--sandbox off)"), outside.python(),
                    outside.pytest());
        }
        try {
            SandboxProbe.Chosen chosen = SandboxProbe.choose(found.install(), workDir, settings.limits(),
                    settings.readOnly());
            listener.status("sandbox: every pytest, dependency scan and install runs in bubblewrap ("
                    + chosen.sandbox().description() + "; limits " + settings.limits() + ")");
            return chosen;
        } catch (SandboxProbe.Unavailable e) {
            if (settings.mode() == SandboxMode.REQUIRED) {
                System.err.println("cdnodes-worker: --sandbox required, and this machine cannot sandbox: "
                        + e.getMessage());
                return null;
            }
            listener.problem(unsandboxed(e.getMessage()), null);
            return new SandboxProbe.Chosen(Sandbox.off(e.getMessage()), outside.python(), outside.pytest());
        }
    }

    private static String unsandboxed(String why) {
        return "WARNING: TESTS RUN UNSANDBOXED ON THIS WORKER (" + why + "). Every test can read and change "
                + "whatever this user can: other projects, their results, the worker's files and token. Install "
                + "bubblewrap, or start with --sandbox required to refuse to run without it.";
    }

    /** Puts the pytest plugin and the test-dependency helper into {@code dir}, the folder put on PYTHONPATH. */
    static Path installPlugin(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String file : List.of("cdnodes_pytest_plugin.py", DeclarationScanner.HELPER)) {
            try (InputStream in = Main.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IOException(file + " is missing from the agent's jar");
                }
                Path tmp = Files.createTempFile(dir, "plugin", ".py");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                // readable by the user a root worker's sandboxes run as; never writable by it
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                Files.move(tmp, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
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
