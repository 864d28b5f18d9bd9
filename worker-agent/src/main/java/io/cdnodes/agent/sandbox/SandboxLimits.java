package io.cdnodes.agent.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resource limits set inside the sandbox (soft and hard alike, so a test cannot raise them), each 0 for none.
 * The process limit counts every process and thread of the sandbox's user; the kernel does not apply it to
 * root, which is why a worker running as root runs tests as another user (see {@link Bubblewrap}).
 *
 * @param processes         {@code RLIMIT_NPROC}: processes and threads
 * @param openFiles         {@code RLIMIT_NOFILE}: open file descriptors per process
 * @param fileSizeBytes     {@code RLIMIT_FSIZE}: the largest file a process may write
 * @param addressSpaceBytes {@code RLIMIT_AS}: virtual memory per process
 */
public record SandboxLimits(long processes, long openFiles, long fileSizeBytes, long addressSpaceBytes) {

    private static final long MIB = 1024 * 1024;

    /** What {@code --sandbox-max-*} default to: roomy enough for numpy- and hypothesis-sized projects. */
    public static SandboxLimits defaults() {
        return new SandboxLimits(4096, 4096, 1024 * MIB, 4096 * MIB);
    }

    /** No limits at all. */
    public static SandboxLimits none() {
        return new SandboxLimits(0, 0, 0, 0);
    }

    public SandboxLimits {
        if (processes < 0 || openFiles < 0 || fileSizeBytes < 0 || addressSpaceBytes < 0) {
            throw new IllegalArgumentException("sandbox limits must not be negative (0 means none)");
        }
    }

    /**
     * These limits, none above the hard limits the agent itself has (an unprivileged process cannot raise a
     * hard limit, and asking to would make every sandboxed command fail).
     *
     * @param procSelfLimits {@code /proc/self/limits}; limits it does not show are kept as they are
     */
    public SandboxLimits within(Path procSelfLimits) {
        Map<String, Long> hard = hardLimits(procSelfLimits);
        return new SandboxLimits(min(processes, hard.get("Max processes")), min(openFiles, hard.get("Max open files")),
                min(fileSizeBytes, hard.get("Max file size")), min(addressSpaceBytes, hard.get("Max address space")));
    }

    private static long min(long wanted, Long hard) {
        if (hard == null || hard < 0) {
            return wanted;
        }
        return wanted == 0 ? hard : Math.min(wanted, hard);
    }

    /** The hard limits shown, by name; -1 for unlimited. */
    static Map<String, Long> hardLimits(Path procSelfLimits) {
        Map<String, Long> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(procSelfLimits)) {
                // "Max open files            1024                 1048576              files"
                String[] cols = line.split("\\s{2,}");
                if (cols.length >= 3 && cols[0].startsWith("Max ")) {
                    out.put(cols[0].trim(), cols[2].trim().equals("unlimited") ? -1L : Long.parseLong(cols[2].trim()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or a format we do not know: the limits stay as asked
        }
        return out;
    }
}
