package io.cdnodes.protocol.frame;

/**
 * Starts a package transfer. Chunks follow in order, then {@link PackageEnd}.
 *
 * @param packageId  the package's SHA-256 digest, lower-case hex
 * @param totalBytes the package's size in bytes
 */
public record PackageBegin(String packageId, long totalBytes) implements Frame {

    public PackageBegin {
        Checks.packageId(packageId);
        if (totalBytes < 0) {
            throw new IllegalArgumentException("totalBytes must not be negative");
        }
    }

    @Override
    public FrameType type() {
        return FrameType.PACKAGE_BEGIN;
    }
}
