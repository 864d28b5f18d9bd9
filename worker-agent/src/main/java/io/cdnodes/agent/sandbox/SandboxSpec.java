package io.cdnodes.agent.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What one sandboxed process may see and write, besides the system (which {@link Bubblewrap} adds read-only).
 * Paths are absolute and appear in the sandbox at the same path, so that names the agent hands over (report
 * files, the working directory) mean the same inside and out.
 *
 * @param writable folders the process may write (a run's folder with its copy of the project; a virtual
 *                 environment being made)
 * @param readOnly folders and files it may read (the plugin, the project's virtual environment)
 * @param scratch  a folder of the agent's whose {@link #SCRATCH_FOLDERS} become the process's {@code /tmp},
 *                 {@code HOME} and {@code /dev/shm}; fresh for each sandbox
 * @param network  the host's network; otherwise the process has only a loopback of its own
 */
public record SandboxSpec(List<Path> writable, List<Path> readOnly, Path scratch, boolean network) {

    /** The folders of {@link #scratch()} that a sandbox mounts: as {@code /tmp}, {@code HOME} and {@code /dev/shm}. */
    public static final List<String> SCRATCH_FOLDERS = List.of("tmp", "home", "shm");

    public SandboxSpec {
        writable = List.copyOf(writable);
        readOnly = List.copyOf(readOnly);
        Objects.requireNonNull(scratch, "scratch");
        for (Path p : writable) {
            requireAbsolute(p);
        }
        for (Path p : readOnly) {
            requireAbsolute(p);
        }
        requireAbsolute(scratch);
    }

    /** A run's sandbox: its folder writable (and scratch), the rest as the shape says. */
    public static SandboxSpec forRun(Path runDir, Shape shape) {
        return new SandboxSpec(List.of(runDir), shape.readOnly(), runDir, shape.network());
    }

    /** What runs alike share, whatever their folder: the same shape makes interchangeable sandboxes. */
    public Shape shape() {
        return new Shape(readOnly, network);
    }

    /**
     * The part of a run's sandbox that does not depend on its folder.
     *
     * @param readOnly as in {@link SandboxSpec}
     * @param network  as in {@link SandboxSpec}
     */
    public record Shape(List<Path> readOnly, boolean network) {

        public Shape {
            readOnly = List.copyOf(readOnly);
        }
    }

    private static void requireAbsolute(Path p) {
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException("sandbox paths must be absolute: " + p);
        }
    }
}
