package io.cdnodes.protocol.frame;

import java.util.Arrays;

/**
 * One piece of a package, at its offset. The array is owned by the frame: do not change it after
 * construction.
 *
 * @param packageId the package this chunk belongs to
 * @param offset    where in the package the data starts
 * @param data      the bytes
 */
public record PackageChunk(String packageId, long offset, byte[] data) implements Frame {

    public PackageChunk {
        Checks.packageId(packageId);
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        if (data == null) {
            throw new NullPointerException("data");
        }
    }

    @Override
    public FrameType type() {
        return FrameType.PACKAGE_CHUNK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PackageChunk c && c.packageId.equals(packageId) && c.offset == offset
                && Arrays.equals(c.data, data);
    }

    @Override
    public int hashCode() {
        return packageId.hashCode() * 31 * 31 + Long.hashCode(offset) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "PackageChunk[packageId=" + packageId + ", offset=" + offset + ", length=" + data.length + "]";
    }
}
