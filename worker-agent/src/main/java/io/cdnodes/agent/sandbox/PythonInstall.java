package io.cdnodes.agent.sandbox;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the worker's Python lives, as the interpreter itself says: what a sandbox must show read-only for it to
 * start and import what it imports outside.
 *
 * @param executable {@code sys.executable}: the interpreter itself, not a launcher in front of it (a pyenv shim
 *                   execs another program, which needs the user's home)
 * @param folders    {@code sys.prefix}, {@code sys.base_prefix}, the exec prefixes, and every folder or zip on
 *                   {@code sys.path} that exists
 */
public record PythonInstall(Path executable, List<Path> folders) {

    public PythonInstall {
        folders = List.copyOf(folders);
    }
}
