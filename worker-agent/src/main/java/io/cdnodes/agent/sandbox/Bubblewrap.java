package io.cdnodes.agent.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns a command and a {@link SandboxSpec} into a bubblewrap command line. Nothing here touches the file system
 * or starts anything: the host's layout comes in as a {@link Layout}, and the result is a list of arguments.
 *
 * <p>The sandbox has its own mount, PID, IPC, UTS and cgroup namespaces, and its own network namespace (nothing
 * but a loopback of its own) unless the spec asks for the network. Its file system is an empty tmpfs holding:
 * the system's folders ({@code /usr}, {@code /etc}, {@code /bin}, {@code /lib*} as directories or the links they
 * are) and the Python installation read-only; the spec's read-only and writable folders at their own paths; a
 * fresh {@code /tmp} and {@code HOME} ({@value #HOME}) from the spec's scratch folder; a {@code /proc} of the new
 * PID namespace (no other process, the agent's {@code /proc/<pid>/environ} among them, is visible) and a minimal
 * {@code /dev} whose {@code /dev/shm} is the scratch folder's {@code shm} (bubblewrap's own is root's: POSIX
 * semaphores, and so {@code multiprocessing}'s locks and pools, failed with "Permission denied" for tests running
 * as another user; on disk, like {@code /tmp}, it is bounded as files are and leaves with the run). The tmpfs
 * itself is then made read-only, so that only the spec's writable folders and the scratch folders can be written. Mounts are made shallowest first, so a folder inside another gets its own mode whatever the order
 * given. {@code --die-with-parent} ends the sandbox with the agent; {@code --new-session} keeps the terminal out of
 * reach ({@code TIOCSTI}); when the command ends, the namespace's init ends and the kernel kills every process left
 * in it, daemons included.
 *
 * <p>No capability is left to the command. A worker running as an ordinary user sandboxes in a user namespace of
 * its own ({@code --unshare-user}, {@code --disable-userns}: tests cannot make further user namespaces). A worker
 * running as root would otherwise run tests as root (readable {@code /etc/shadow}, no process limit: the kernel
 * exempts root from {@code RLIMIT_NPROC}); there bubblewrap keeps only the capability to change user, and
 * {@code setpriv} switches to {@link Layout#runAs()} before anything of the project runs. Last, {@code prlimit}
 * sets the {@link SandboxLimits} (and no core dumps) and runs the command.
 */
public final class Bubblewrap {

    /** {@code HOME} inside the sandbox. */
    public static final String HOME = "/home/sandbox";

    /** Variables that would name the agent's own folders, which the sandbox does not have. */
    private static final List<String> UNSET = List.of("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
            "XDG_STATE_HOME", "XDG_RUNTIME_DIR", "TMP", "TEMP");

    /**
     * The host as the sandbox shows it.
     *
     * @param bwrap      the bubblewrap executable
     * @param prlimit    util-linux {@code prlimit}
     * @param env        coreutils' {@code env}, which gives the command its {@link LoaderVariables}
     * @param setpriv    util-linux {@code setpriv}; used only with {@code runAs}
     * @param systemDirs folders bound read-only at their own path ({@code /usr}, {@code /etc}, ...)
     * @param systemLinks links recreated as they are ({@code /lib -> usr/lib} on a merged-/usr system)
     * @param readOnly   more folders and files bound read-only at their own path (the Python installation,
     *                   what the administrator adds)
     * @param runAs      null when the agent is not root: the sandbox is a user namespace of the agent's user;
     *                   otherwise the user and group tests run as
     */
    public record Layout(Path bwrap, Path prlimit, Path env, Path setpriv, List<Path> systemDirs, Map<Path, String> systemLinks,
                         List<Path> readOnly, Identity runAs) {

        public Layout {
            Objects.requireNonNull(bwrap, "bwrap");
            Objects.requireNonNull(prlimit, "prlimit");
            Objects.requireNonNull(env, "env");
            systemDirs = List.copyOf(systemDirs);
            systemLinks = Map.copyOf(systemLinks);
            readOnly = List.copyOf(readOnly);
            if (runAs != null) {
                Objects.requireNonNull(setpriv, "setpriv is needed to run tests as another user");
            }
        }
    }

    /** A numeric user and group. */
    public record Identity(int uid, int gid) {

        /** {@code nobody:nogroup}, what a root worker's tests run as. */
        public static final Identity NOBODY = new Identity(65534, 65534);
    }

    private enum Kind { RO, RW, LINK }

    private record Mount(Kind kind, String source, Path dest) {

        boolean samePath() {
            return kind != Kind.LINK && Path.of(source).equals(dest);
        }
    }

    private final Layout layout;
    private final SandboxLimits limits;

    public Bubblewrap(Layout layout, SandboxLimits limits) {
        this.layout = layout;
        this.limits = limits;
    }

    public Layout layout() {
        return layout;
    }

    public SandboxLimits limits() {
        return limits;
    }

    /** The bubblewrap command line that runs {@code command} in {@code workingDir} inside the sandbox. */
    public List<String> command(List<String> command, Path workingDir, SandboxSpec spec) {
        return command(command, workingDir, spec, Map.of());
    }

    /**
     * The bubblewrap command line that runs {@code command} in {@code workingDir} inside the sandbox, with
     * {@code loaderVariables} ({@link LoaderVariables}) set for the command alone: {@code env} sets them after
     * {@code prlimit}, so that neither bubblewrap nor the helpers before the command load anything they name.
     */
    public List<String> command(List<String> command, Path workingDir, SandboxSpec spec,
                                Map<String, String> loaderVariables) {
        List<String> args = new ArrayList<>(List.of(layout.bwrap().toString(), "--die-with-parent", "--new-session",
                "--unshare-ipc", "--unshare-pid", "--unshare-uts", "--unshare-cgroup-try"));
        if (!spec.network()) {
            args.add("--unshare-net");
        }
        if (layout.runAs() == null) {
            args.addAll(List.of("--unshare-user", "--disable-userns", "--cap-drop", "ALL"));
        } else {
            args.addAll(List.of("--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"));
        }
        mounts(args, spec);
        // the empty tmpfs everything is mounted on (and the folders made in it) read-only: only mounts are writable
        args.addAll(List.of("--proc", "/proc", "--dev", "/dev",
                "--bind", spec.scratch().resolve("shm").toString(), "/dev/shm",
                "--remount-ro", "/", "--chdir", workingDir.toString(),
                "--setenv", "HOME", HOME, "--setenv", "TMPDIR", "/tmp"));
        for (String name : UNSET) {
            args.addAll(List.of("--unsetenv", name));
        }
        args.add("--");
        if (layout.runAs() != null) {
            args.addAll(List.of(layout.setpriv().toString(), "--reuid=" + layout.runAs().uid(),
                    "--regid=" + layout.runAs().gid(), "--clear-groups", "--inh-caps=-all", "--bounding-set=-all",
                    "--"));
        }
        args.add(layout.prlimit().toString());
        limit(args, "--nproc=", limits.processes());
        limit(args, "--nofile=", limits.openFiles());
        limit(args, "--fsize=", limits.fileSizeBytes());
        limit(args, "--as=", limits.addressSpaceBytes());
        args.addAll(List.of("--core=0", "--"));
        if (!loaderVariables.isEmpty()) {
            args.add(layout.env().toString());
            new java.util.TreeMap<>(loaderVariables).forEach((name, value) -> args.add(name + "=" + value));
        }
        args.addAll(command);
        return args;
    }

    private void mounts(List<String> args, SandboxSpec spec) {
        List<Mount> mounts = new ArrayList<>();
        layout.systemDirs().forEach(p -> mounts.add(new Mount(Kind.RO, p.toString(), p)));
        layout.systemLinks().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> mounts.add(new Mount(Kind.LINK, e.getValue(), e.getKey())));
        layout.readOnly().forEach(p -> mounts.add(new Mount(Kind.RO, p.toString(), p)));
        spec.readOnly().forEach(p -> mounts.add(new Mount(Kind.RO, p.toString(), p)));
        spec.writable().forEach(p -> mounts.add(new Mount(Kind.RW, p.toString(), p)));
        mounts.add(new Mount(Kind.RW, spec.scratch().resolve("tmp").toString(), Path.of("/tmp")));
        mounts.add(new Mount(Kind.RW, spec.scratch().resolve("home").toString(), Path.of(HOME)));
        // shallowest first (stable: the system before the rest at one depth), so that a mount inside another is
        // made after it and stays what it was asked to be
        mounts.sort(Comparator.comparingInt(m -> m.dest().getNameCount()));
        List<Mount> made = new ArrayList<>();
        Set<Path> dirs = new HashSet<>();
        for (Mount m : mounts) {
            if (made.stream().anyMatch(earlier -> earlier.dest().equals(m.dest()))) {
                continue; // already there (a Python folder inside /usr, a plugin folder named twice)
            }
            parents(args, m.dest(), made, dirs);
            switch (m.kind()) {
                case RO -> args.addAll(List.of("--ro-bind", m.source(), m.dest().toString()));
                case RW -> args.addAll(List.of("--bind", m.source(), m.dest().toString()));
                case LINK -> args.addAll(List.of("--symlink", m.source(), m.dest().toString()));
            }
            made.add(m);
        }
    }

    /**
     * Makes the folders above {@code dest} that nothing mounted so far provides, world-readable: bubblewrap would
     * make them private to root, which a sandbox running as another user could not pass through.
     */
    private static void parents(List<String> args, Path dest, List<Mount> made, Set<Path> dirs) {
        Path root = dest.getRoot();
        for (int i = 1; i < dest.getNameCount(); i++) {
            Path dir = root.resolve(dest.subpath(0, i));
            boolean provided = dirs.contains(dir) || made.stream().anyMatch(m -> m.dest().equals(dir)
                    || m.samePath() && dir.startsWith(m.dest()));
            if (!provided) {
                args.addAll(List.of("--perms", "0755", "--dir", dir.toString()));
                dirs.add(dir);
            }
        }
    }

    private static void limit(List<String> args, String option, long value) {
        if (value > 0) {
            args.add(option + value);
        }
    }
}
