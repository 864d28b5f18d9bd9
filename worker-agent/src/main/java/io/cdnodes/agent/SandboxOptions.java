package io.cdnodes.agent;

import io.cdnodes.agent.sandbox.SandboxLimits;
import io.cdnodes.agent.sandbox.SandboxMode;
import io.cdnodes.agent.sandbox.SandboxSettings;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The command-line options of the sandbox every project's process runs in. A picocli mixin of {@link Main}. */
final class SandboxOptions {

    private static final long MIB = 1024 * 1024;

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

    /** @throws IllegalArgumentException with a message for the user */
    SandboxSettings settings() {
        SandboxLimits limits = new SandboxLimits(sandboxMaxProcesses, sandboxMaxOpenFiles, sandboxMaxFileMb * MIB,
                sandboxMaxMemoryMb * MIB);
        List<Path> readOnly = sandboxReadOnly == null ? List.of()
                : sandboxReadOnly.stream().filter(p -> !p.isBlank()).map(Path::of).toList();
        return new SandboxSettings(SandboxMode.parse(sandbox), limits, readOnly);
    }
}
