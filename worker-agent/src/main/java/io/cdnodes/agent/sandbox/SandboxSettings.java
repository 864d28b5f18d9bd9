package io.cdnodes.agent.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The worker's sandbox settings, as given on its command line.
 *
 * @param mode     {@code --sandbox} ({@code CDNODES_SANDBOX}, auto)
 * @param limits   {@code --sandbox-max-*} ({@code CDNODES_SANDBOX_MAX_*})
 * @param readOnly {@code --sandbox-ro-bind} ({@code CDNODES_SANDBOX_RO_BINDS}): more folders every sandbox shows
 *                 read-only, for what tests need beyond the system and the Python installation ({@code /opt/tools})
 */
public record SandboxSettings(SandboxMode mode, SandboxLimits limits, List<Path> readOnly) {

    public SandboxSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(limits, "limits");
        readOnly = List.copyOf(readOnly);
        for (Path p : readOnly) {
            if (!p.isAbsolute()) {
                throw new IllegalArgumentException("--sandbox-ro-bind needs absolute paths: " + p);
            }
        }
    }

    /** {@code auto} with the default limits. */
    public static SandboxSettings defaults() {
        return new SandboxSettings(SandboxMode.AUTO, SandboxLimits.defaults(), List.of());
    }
}
