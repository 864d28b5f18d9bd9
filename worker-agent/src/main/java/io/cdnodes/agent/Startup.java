package io.cdnodes.agent;

import io.cdnodes.agent.deps.DeclarationScanner;
import io.cdnodes.agent.link.AgentListener;
import io.cdnodes.agent.packages.Folders;
import io.cdnodes.agent.packages.PackageCache;
import io.cdnodes.agent.run.PythonProbe;
import io.cdnodes.agent.run.RunSettings;
import io.cdnodes.agent.sandbox.Sandbox;
import io.cdnodes.agent.sandbox.SandboxMode;
import io.cdnodes.agent.sandbox.SandboxProbe;
import io.cdnodes.agent.sandbox.SandboxSettings;
import io.cdnodes.protocol.pkg.UnzipLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * What the worker does once, between reading its configuration and connecting: it says what the configuration
 * leaves open, makes its work folder ready (the pytest plugin, an empty runs folder, the package cache), chooses the
 * sandbox, and builds the {@link Agent}.
 */
final class Startup {

    private Startup() {
    }

    /** Says, at every start, what the configuration leaves open. */
    static void warnAboutWhatIsOpen(AgentConfig config, AgentListener listener) {
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
    static Agent prepare(AgentConfig config, PythonProbe.Found found, Duration sessionIdle, AgentListener listener)
            throws IOException {
        Path work = Files.createDirectories(config.workDir()).toRealPath();
        Path pluginDir = installPlugin(work.resolve("plugin"));
        Path runs = work.resolve("runs");
        Folders.delete(runs);
        Files.createDirectories(runs);
        RunSettings settings = new RunSettings(config.python(), pluginDir, runs, config.maxOutputBytes(),
                config.maxMessageChars(), work.resolve("venvs"), sessionIdle);
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
            try (InputStream in = Startup.class.getResourceAsStream(file)) {
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
}
