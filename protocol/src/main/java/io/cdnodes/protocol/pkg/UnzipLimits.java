package io.cdnodes.protocol.pkg;

/**
 * What an archive may hold before it is refused.
 *
 * @param maxEntries       entries at most (files and folders)
 * @param maxEntryBytes    uncompressed bytes of one entry at most
 * @param maxTotalBytes    uncompressed bytes of all entries at most
 * @param maxRatio         the most an entry above {@link #RATIO_FLOOR_BYTES} may expand relative to its
 *                         compressed size
 */
public record UnzipLimits(int maxEntries, long maxEntryBytes, long maxTotalBytes, int maxRatio) {

    /** Small entries may compress very well (a file of spaces) without being a bomb. */
    public static final long RATIO_FLOOR_BYTES = 1024 * 1024;

    public UnzipLimits {
        if (maxEntries < 1 || maxEntryBytes < 1 || maxTotalBytes < 1 || maxRatio < 1) {
            throw new IllegalArgumentException("unzip limits must be positive");
        }
    }

    /** 50,000 entries, 256 MiB per entry, 1 GiB in all, ratio 200. */
    public static UnzipLimits defaults() {
        return new UnzipLimits(50_000, 256L * 1024 * 1024, 1024L * 1024 * 1024, 200);
    }
}
