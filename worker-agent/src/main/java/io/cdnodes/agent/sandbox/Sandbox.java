package io.cdnodes.agent.sandbox;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The worker's sandbox, or its absence and why: every process started from a project goes through
 * {@link #wrap}, which gives back the process builder to start. Sandboxed, that is bubblewrap running the
 * command as {@link SandboxSpec} allows; unsandboxed, the command as it was. Thread-safe (immutable).
 */
public final class Sandbox {

    private final Bubblewrap bubblewrap;
    private final String description;
    private final Path pathFirst;

    private Sandbox(Bubblewrap bubblewrap, String description, Path pathFirst) {
        this.bubblewrap = bubblewrap;
        this.description = Objects.requireNonNull(description, "description");
        this.pathFirst = pathFirst;
    }

    /** No sandbox; {@code reason} says why, for the log. */
    public static Sandbox off(String reason) {
        return new Sandbox(null, reason, null);
    }

    /**
     * Sandboxed with {@code bubblewrap}.
     *
     * @param pathFirst see {@link #pathFirst()}
     */
    public static Sandbox on(Bubblewrap bubblewrap, String description, Path pathFirst) {
        return new Sandbox(Objects.requireNonNull(bubblewrap, "bubblewrap"), description, pathFirst);
    }

    public boolean enabled() {
        return bubblewrap != null;
    }

    /** How processes are sandboxed, or why they are not. */
    public String description() {
        return description;
    }

    /**
     * The interpreter's own folder when the agent found the interpreter through another one that the sandbox does
     * not show (a pyenv shim); null otherwise. A run puts it first on {@code PATH}, so that tests starting
     * {@code python3} get the interpreter they run in, as the shim would have given them.
     */
    public Path pathFirst() {
        return pathFirst;
    }

    /** The command line builder, when sandboxed. */
    public Bubblewrap bubblewrap() {
        return bubblewrap;
    }

    /**
     * The process builder that runs {@code plain} (its command, folder, environment and redirections) inside a
     * sandbox as {@code spec} describes; {@code plain} itself when unsandboxed. The spec's folders are made ready
     * first ({@link #prepare}).
     */
    public ProcessBuilder wrap(ProcessBuilder plain, SandboxSpec spec) throws IOException {
        if (!enabled()) {
            return plain;
        }
        prepare(spec);
        Path dir = plain.directory() == null ? Path.of("").toAbsolutePath() : plain.directory().toPath();
        Map<String, String> env = new java.util.HashMap<>(plain.environment());
        // bubblewrap, setpriv and prlimit run with the rest; these reach the command alone (LoaderVariables)
        Map<String, String> loader = LoaderVariables.takeFrom(env);
        ProcessBuilder pb = new ProcessBuilder(bubblewrap.command(plain.command(), dir.toAbsolutePath(), spec,
                loader))
                // bubblewrap itself starts in a folder the agent owns; the command starts in its own (--chdir)
                .directory(spec.scratch().toFile())
                .redirectErrorStream(plain.redirectErrorStream())
                .redirectInput(plain.redirectInput()).redirectOutput(plain.redirectOutput())
                .redirectError(plain.redirectError());
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb;
    }

    /**
     * Makes the spec's scratch folders ({@link SandboxSpec#SCRATCH_FOLDERS}) and, when tests run as another user, gives that
     * user the writable folders and the scratch (links are changed, never followed). Idempotent.
     */
    public void prepare(SandboxSpec spec) throws IOException {
        if (!enabled()) {
            return;
        }
        List<Path> sources = new ArrayList<>(spec.writable());
        SandboxSpec.SCRATCH_FOLDERS.forEach(name -> sources.add(spec.scratch().resolve(name)));
        for (Path p : sources) {
            Files.createDirectories(p);
            // bubblewrap binds what a source path leads to: a link that a project's process left in a folder it could
            // write would bind any folder of the host writable
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("not a folder, refusing to bind it into a sandbox: " + p);
            }
        }
        Bubblewrap.Identity runAs = bubblewrap.layout().runAs();
        if (runAs != null) {
            own(spec.scratch(), runAs);
            for (Path p : spec.writable()) {
                own(p, runAs);
            }
        }
    }

    private static void own(Path root, Bubblewrap.Identity who) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                chown(dir, who);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                chown(file, who);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void chown(Path p, Bubblewrap.Identity who) throws IOException {
        Files.setAttribute(p, "unix:uid", who.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", who.gid(), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public String toString() {
        return (enabled() ? "sandboxed: " : "not sandboxed: ") + description;
    }
}
