package io.cdnodes.protocol.frame;

import java.util.List;
import java.util.Objects;

/**
 * The first frame a worker sends: who it is, what it can run, which packages it already holds, whether it runs
 * tests in a sandbox, and the shared worker token. {@link #toString()} never shows the token.
 *
 * @param protocolVersion the CDProto version the worker speaks
 * @param workerName      a human-readable name, unique per worker by convention
 * @param slots           how many pytest processes the worker runs at once (1..65535)
 * @param pythonVersion   the worker's Python version, as {@code python --version} prints it
 * @param pytestVersion   the worker's pytest version
 * @param token           the worker token; empty when the worker has none
 * @param cachedPackages  SHA-256 digests (lower-case hex) of the packages the worker holds unpacked
 * @param sandboxed       whether every process the worker starts from a project runs in a sandbox
 */
public record Hello(int protocolVersion, String workerName, int slots, String pythonVersion,
                    String pytestVersion, String token, List<String> cachedPackages, boolean sandboxed)
        implements Frame {

    public Hello {
        Checks.u16(protocolVersion, "protocolVersion");
        Objects.requireNonNull(workerName, "workerName");
        Checks.u16(slots, "slots");
        Objects.requireNonNull(pythonVersion, "pythonVersion");
        Objects.requireNonNull(pytestVersion, "pytestVersion");
        Objects.requireNonNull(token, "token");
        cachedPackages = List.copyOf(cachedPackages);
    }

    /** The HELLO of a worker that does not sandbox its runs. */
    public Hello(int protocolVersion, String workerName, int slots, String pythonVersion, String pytestVersion,
                 String token, List<String> cachedPackages) {
        this(protocolVersion, workerName, slots, pythonVersion, pytestVersion, token, cachedPackages, false);
    }

    @Override
    public FrameType type() {
        return FrameType.HELLO;
    }

    @Override
    public String toString() {
        return "Hello[protocolVersion=" + protocolVersion + ", workerName=" + workerName + ", slots=" + slots
                + ", pythonVersion=" + pythonVersion + ", pytestVersion=" + pytestVersion
                + ", token=" + (token.isEmpty() ? "<none>" : "<redacted>")
                + ", cachedPackages=" + cachedPackages.size() + ", sandboxed=" + sandboxed + "]";
    }
}
