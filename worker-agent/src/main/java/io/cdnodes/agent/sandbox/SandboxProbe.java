package io.cdnodes.agent.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdnodes.agent.packages.Folders;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds out at start whether this machine can sandbox: bubblewrap and util-linux's {@code prlimit} (and
 * {@code setpriv} for a worker running as root) are found on {@code PATH}, the host's layout is read, and a real
 * command runs in a real sandbox: the worker's Python importing pytest, in a PID namespace of its own, with
 * nothing of the agent's work folder in sight but its own scratch folder, no network device but loopback, and
 * (for a root worker) as another user. Anything else is {@link Unavailable}, with the reason.
 */
public final class SandboxProbe {

    /** This machine cannot sandbox; the message says why and, where it can, what to do. */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message) {
            super(message);
        }
    }

    /**
     * A sandbox that works, and the versions the interpreter reports inside it.
     *
     * @param python the Python version inside the sandbox
     * @param pytest the pytest version inside the sandbox
     */
    public record Chosen(Sandbox sandbox, String python, String pytest) {
    }

    static final String INSTALL_HINT = "install it: apt-get install bubblewrap (Debian, Ubuntu), "
            + "dnf install bubblewrap (Fedora), apk add bubblewrap (Alpine)";
    private static final System.Logger LOG = System.getLogger(SandboxProbe.class.getName());
    private static final List<String> SYSTEM = List.of("usr", "etc", "bin", "sbin", "lib", "lib32", "lib64", "libx32");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = String.join("\n",
            "import json, os, socket, sys, pytest",
            "print(json.dumps({'pid': os.getpid(), 'uid': os.getuid(), 'python': sys.version.split()[0],",
            "    'pytest': pytest.__version__, 'seen': sorted(os.listdir(sys.argv[1])),",
            "    'interfaces': sorted(n for _, n in socket.if_nameindex())}))");

    private SandboxProbe() {
    }

    /**
     * @param python        the worker's interpreter
     * @param workDir       the agent's work folder; the probe runs in a folder inside it
     * @param limits        the limits sandboxed processes get
     * @param extraReadOnly more folders every sandbox shows read-only ({@code --sandbox-ro-bind})
     */
    public static Chosen choose(PythonInstall python, Path workDir, SandboxLimits limits, List<Path> extraReadOnly)
            throws Unavailable {
        Map<String, String> env = System.getenv();
        Path bwrap = onPath("bwrap", env).orElseThrow(() -> new Unavailable(
                "bubblewrap is not installed (no bwrap on PATH); " + INSTALL_HINT));
        Path prlimit = onPath("prlimit", env).orElseThrow(() -> new Unavailable(
                "util-linux's prlimit is not on PATH (apt-get install util-linux)"));
        Bubblewrap.Identity runAs = isRoot() ? Bubblewrap.Identity.NOBODY : null;
        Path envTool = onPath("env", env).orElseThrow(() -> new Unavailable(
                "coreutils' env is not on PATH (apt-get install coreutils)"));
        Path setpriv = runAs == null ? null : onPath("setpriv", env).orElseThrow(() -> new Unavailable(
                "the worker runs as root, and util-linux's setpriv, which makes tests run as another user, is not "
                        + "on PATH (apt-get install util-linux)"));
        Bubblewrap.Layout layout = layout(Path.of("/"), new Tools(bwrap, prlimit, envTool, setpriv), python,
                extraReadOnly, runAs, workDir);
        Sandbox sandbox = Sandbox.on(new Bubblewrap(layout, limits.within(Path.of("/proc/self/limits"))),
                describe(bwrap, runAs), pathFirst(python.executable(), env.get("PATH")));
        return check(sandbox, python, workDir, runAs);
    }

    /** The programs a sandbox is made with ({@code setpriv} null unless tests run as another user). */
    record Tools(Path bwrap, Path prlimit, Path env, Path setpriv) {
    }

    /**
     * Reads the host's layout under {@code root} ("/" but in tests). A folder that holds the agent's work folder is
     * never shown (a {@code sys.path} entry or an added folder above it would show every run, environment and
     * package of the worker): it is left out and logged; a system folder holding it makes the sandbox unusable.
     */
    static Bubblewrap.Layout layout(Path root, Tools tools, PythonInstall python, List<Path> extraReadOnly,
                                    Bubblewrap.Identity runAs, Path workDir) throws Unavailable {
        Path bwrap = tools.bwrap();
        Path prlimit = tools.prlimit();
        Path setpriv = tools.setpriv();
        Path work = workDir.toAbsolutePath().normalize();
        List<Path> dirs = new ArrayList<>();
        Map<Path, String> links = new LinkedHashMap<>();
        for (String name : SYSTEM) {
            Path p = root.resolve(name);
            try {
                if (Files.isSymbolicLink(p)) {
                    links.put(Path.of("/", name), Files.readSymbolicLink(p).toString());
                } else if (Files.isDirectory(p)) {
                    if (work.startsWith(Path.of("/", name))) {
                        throw new Unavailable("the work folder " + work + " lies inside /" + name + ", which every "
                                + "sandbox shows read-only: choose a work folder elsewhere (--work-dir)");
                    }
                    dirs.add(Path.of("/", name));
                }
            } catch (IOException e) {
                // unreadable: not shown
            }
        }
        List<Path> wanted = new ArrayList<>(python.folders());
        wanted.add(python.executable());
        wanted.addAll(List.of(bwrap, prlimit, tools.env()));
        if (setpriv != null) {
            wanted.add(setpriv);
        }
        wanted.addAll(extraReadOnly);
        resolvConfTarget(root).ifPresent(wanted::add);
        wanted.removeIf(p -> {
            boolean holdsWork = work.startsWith(p.toAbsolutePath().normalize());
            if (holdsWork) {
                LOG.log(System.Logger.Level.WARNING, "{0} is not shown to sandboxed processes: it holds the work "
                        + "folder {1}", p, work);
            }
            return holdsWork;
        });
        List<Path> readOnly = new ArrayList<>();
        for (Path p : wanted) {
            Path n = p.toAbsolutePath().normalize();
            boolean covered = dirs.stream().anyMatch(n::startsWith) || links.keySet().stream().anyMatch(n::startsWith)
                    || wanted.stream().map(w -> w.toAbsolutePath().normalize())
                    .anyMatch(w -> !w.equals(n) && n.startsWith(w));
            if (!covered && !readOnly.contains(n) && Files.exists(root.resolve(Path.of("/").relativize(n).toString()))) {
                readOnly.add(n);
            }
        }
        return new Bubblewrap.Layout(bwrap, prlimit, tools.env(), setpriv, dirs, links, readOnly, runAs);
    }

    /** Where {@code /etc/resolv.conf} points when it is a link out of {@code /etc} (systemd-resolved's stub). */
    private static Optional<Path> resolvConfTarget(Path root) {
        Path conf = root.resolve("etc/resolv.conf");
        try {
            if (Files.isSymbolicLink(conf)) {
                return Optional.of(Path.of("/etc").resolve(Files.readSymbolicLink(conf)).normalize());
            }
        } catch (IOException e) {
            // none
        }
        return Optional.empty();
    }

    private static Chosen check(Sandbox sandbox, PythonInstall python, Path workDir, Bubblewrap.Identity runAs)
            throws Unavailable {
        Path dir = workDir.resolve("sandbox-probe");
        try {
            Folders.delete(dir);
            Files.createDirectories(dir);
            SandboxSpec spec = new SandboxSpec(List.of(dir), List.of(), dir, false);
            ProcessBuilder plain = new ProcessBuilder(List.of(python.executable().toString(), "-c", SCRIPT,
                    workDir.toString())).directory(dir.toFile()).redirectErrorStream(true);
            plain.environment().keySet().removeIf(k -> k.startsWith("CDNODES_"));
            String out = run(sandbox.wrap(plain, spec));
            String[] lines = out.split("\\R");
            JsonNode n = JSON.readTree(lines[lines.length - 1]);
            List<String> seen = new ArrayList<>();
            n.path("seen").forEach(s -> seen.add(s.asText()));
            List<String> interfaces = new ArrayList<>();
            n.path("interfaces").forEach(s -> interfaces.add(s.asText()));
            if (n.path("pid").asInt() > 2 || !seen.equals(List.of(dir.getFileName().toString()))
                    || !interfaces.equals(List.of("lo"))
                    || runAs != null && n.path("uid").asInt() != runAs.uid()) {
                throw new Unavailable("a sandboxed command is not isolated as it should be: " + out);
            }
            return new Chosen(sandbox, n.path("python").asText(), n.path("pytest").asText());
        } catch (IOException e) {
            throw new Unavailable("a sandboxed command failed: " + e.getMessage());
        } finally {
            Folders.deleteQuietly(dir);
        }
    }

    private static String run(ProcessBuilder pb) throws IOException {
        Process p = pb.start();
        try {
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(64 * 1024);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("it did not end within 60 s");
            }
            String text = new String(out, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw new IOException("exit code " + p.exitValue() + ": " + text);
            }
            return text;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String describe(Path bwrap, Bubblewrap.Identity runAs) {
        String version = "bubblewrap";
        try {
            version = run(new ProcessBuilder(bwrap.toString(), "--version").redirectErrorStream(true));
        } catch (IOException e) {
            // the version is for the log only
        }
        return version + (runAs == null ? ", in a user namespace of the worker's user"
                : ", tests run as uid " + runAs.uid() + " (the worker runs as root)");
    }

    private static Path pathFirst(Path executable, String path) {
        Path dir = executable.toAbsolutePath().getParent();
        if (dir == null || path != null && List.of(path.split(File.pathSeparator)).contains(dir.toString())) {
            return null;
        }
        return dir;
    }

    private static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    static Optional<Path> onPath(String name, Map<String, String> env) {
        String path = env.getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                    return Optional.of(p.toAbsolutePath().normalize());
                }
            }
        }
        return Optional.empty();
    }
}
