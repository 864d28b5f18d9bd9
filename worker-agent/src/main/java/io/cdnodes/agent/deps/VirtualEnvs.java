package io.cdnodes.agent.deps;

import io.cdnodes.agent.packages.Folders;
import io.cdnodes.agent.process.ChildEnvironment;
import io.cdnodes.agent.process.Subprocess;
import io.cdnodes.agent.sandbox.Sandbox;
import io.cdnodes.agent.sandbox.SandboxSpec;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The worker's virtual environments, one folder per {@link DeclaredDeps#key()} under a root. An environment
 * is made once, {@code python -m venv --system-site-packages} (so the worker's pytest and whatever else its
 * Python has stay importable unless the project pins another version) and filled with
 * {@code python -m pip install -r <the requirements>}, pip as the machine has it configured: no index is
 * named here. It counts as ready only once a marker file is written; one whose making failed, timed out or
 * was cancelled is deleted, never kept half-made.
 *
 * <p>On a sandboxed worker, {@code venv} and {@code pip} (and whatever a package's build runs) run in a sandbox
 * with the host's network, the environment's folder as the only writable one (besides a scratch folder deleted
 * afterwards), and pip's configuration as the machine has it ({@link PipConfiguration}) read-only.
 *
 * <p>Thread-safety: two slots may want the same environment at once; making one happens under a lock per
 * folder, and the second caller waits (within its own deadline) and then finds it ready. The locks are
 * shared by every instance in this JVM because they guard folders, not objects.
 */
public final class VirtualEnvs {

    private static final System.Logger LOG = System.getLogger(VirtualEnvs.class.getName());
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
    static final String READY = ".cdnodes-ready";
    static final String REQUIREMENTS = "cdnodes-requirements.txt";
    private static final int DETAIL_CHARS = 6000;

    private final String basePython;
    private final Path root;
    private final long maxOutputBytes;
    private final Sandbox sandbox;

    /**
     * @param basePython     the worker's Python, which environments are made from
     * @param root           where environments live ({@code <work-dir>/venvs})
     * @param maxOutputBytes pip output kept per step
     */
    public VirtualEnvs(String basePython, Path root, long maxOutputBytes) {
        this(basePython, root, maxOutputBytes, Sandbox.off("not asked for"));
    }

    /** @param sandbox what venv and pip run in */
    public VirtualEnvs(String basePython, Path root, long maxOutputBytes, Sandbox sandbox) {
        this.basePython = basePython;
        this.root = root.toAbsolutePath().normalize();
        this.maxOutputBytes = maxOutputBytes;
        this.sandbox = sandbox;
    }

    /** The folder of the environment for these declarations (made or not). */
    public Path folder(DeclaredDeps deps) {
        return root.resolve(deps.key());
    }

    /**
     * The Python of a ready environment for these declarations, made first when there is none.
     *
     * @throws InstallException when pip (or venv) fails, the deadline passes, or {@code cancelled} turns true
     */
    public Path python(DeclaredDeps deps, long deadlineNanos, BooleanSupplier cancelled) throws InstallException {
        Path dir = folder(deps);
        ReentrantLock lock = LOCKS.computeIfAbsent(dir, k -> new ReentrantLock());
        try {
            if (!lock.tryLock(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new InstallException("timed out waiting for another run installing the same test dependencies");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InstallException("interrupted while waiting to install the test dependencies", true);
        }
        try {
            if (Files.exists(dir.resolve(READY))) {
                return pythonIn(dir);
            }
            long start = System.nanoTime();
            try {
                make(dir, deps, deadlineNanos, cancelled);
            } catch (InstallException | IOException | RuntimeException e) {
                Folders.deleteQuietly(dir);
                if (e instanceof InstallException ie) {
                    throw ie;
                }
                throw new InstallException("cannot make a virtual environment in " + dir + ": " + e);
            }
            LOG.log(System.Logger.Level.INFO, "environment {0} made in {1} ms: {2} requirement(s) from {3}",
                    deps.key().substring(0, 12), (System.nanoTime() - start) / 1_000_000, deps.requirements().size(),
                    deps.sources());
            return pythonIn(dir);
        } finally {
            lock.unlock();
        }
    }

    private void make(Path dir, DeclaredDeps deps, long deadlineNanos, BooleanSupplier cancelled)
            throws InstallException, IOException {
        Folders.delete(dir); // a leftover of a worker that died while making it
        Files.createDirectories(dir);
        Path scratch = root.resolve(".scratch-" + dir.getFileName());
        try {
            step("python -m venv", List.of(basePython, "-m", "venv", "--system-site-packages", dir.toString()), dir,
                    scratch, deadlineNanos, cancelled);
            Path python = pythonIn(dir);
            if (!deps.inherit().isEmpty()) {
                inherit(python, dir, scratch, deps.inherit(), deadlineNanos, cancelled);
            }
            Path requirements = dir.resolve(REQUIREMENTS);
            Folders.writeFresh(requirements, deps.requirements());
            step("pip install", List.of(python.toString(), "-m", "pip", "install", "--no-input", "--progress-bar",
                    "off", "-r", requirements.toString()), dir, scratch, deadlineNanos, cancelled);
        } finally {
            Folders.deleteQuietly(scratch);
        }
        // pip ran a project's setup code with this folder writable: never write through what it left at the name
        Folders.writeFresh(dir.resolve(READY), List.of(deps.canonical()));
    }

    /** Makes the worker's own (virtual-environment) packages visible in the new environment, after its own. */
    private void inherit(Path python, Path dir, Path scratch, List<String> paths, long deadlineNanos,
                         BooleanSupplier cancelled) throws InstallException, IOException {
        Subprocess.Result r = step("locate site-packages", List.of(python.toString(), "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])"), dir, scratch, deadlineNanos, cancelled);
        String[] lines = r.output().strip().split("\\R");
        Path sitePackages = Path.of(lines[lines.length - 1].strip());
        Folders.writeFresh(sitePackages.resolve("cdnodes-worker-python.pth"), paths);
    }

    /** Runs one step in the environment's folder {@code dir}, the only one it may write besides its scratch. */
    private Subprocess.Result step(String what, List<String> command, Path dir, Path scratch, long deadlineNanos,
                                   BooleanSupplier cancelled) throws InstallException, IOException {
        ProcessBuilder pb = Subprocess.plain(command, dir, ChildEnvironment.INSTALL);
        List<Path> readOnly = new ArrayList<>();
        if (sandbox.enabled()) {
            PipConfiguration pip = PipConfiguration.of(pb.environment());
            pip.userFile().ifPresent(conf -> {
                readOnly.add(conf);
                pb.environment().put("PIP_CONFIG_FILE", conf.toString());
            });
            readOnly.addAll(pip.localPaths());
        }
        Subprocess.Result r = Subprocess.run(sandbox.wrap(pb, new SandboxSpec(List.of(dir), readOnly, scratch, true)),
                deadlineNanos, cancelled, maxOutputBytes);
        switch (r.ending()) {
            case CANCELLED -> throw new InstallException("cancelled during " + what, true);
            case TIMED_OUT -> throw new InstallException("installing the test dependencies was stopped at the "
                    + "assignment's time limit during " + what + ":\n" + tail(r.output()));
            case EXITED -> {
                if (r.exitCode() != 0) {
                    throw new InstallException("installing the test dependencies failed: " + what + " exited with "
                            + r.exitCode() + ":\n" + tail(r.output()));
                }
            }
        }
        return r;
    }

    private static String tail(String output) {
        String t = output.strip();
        return t.length() <= DETAIL_CHARS ? t : "…" + t.substring(t.length() - DETAIL_CHARS);
    }

    static Path pythonIn(Path venv) {
        return File.separatorChar == '\\' ? venv.resolve("Scripts").resolve("python.exe")
                : venv.resolve("bin").resolve("python");
    }

    /** Folders of environments that are ready; for tests and the log. */
    public List<Path> ready() throws IOException {
        List<Path> out = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (var s = Files.list(root)) {
                s.filter(d -> Files.exists(d.resolve(READY))).sorted().forEach(out::add);
            }
        }
        return out;
    }
}
