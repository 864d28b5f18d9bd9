package io.cdnodes.protocol.pkg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads the one thing {@link java.util.zip.ZipFile} does not show: the Unix mode in each central-directory
 * header's external attributes, to find symbolic links. It finds the directory the way the JDK's reader does
 * (the last end record whose comment reaches the end of the file, or else one that points at a directory; the
 * directory ends where the end record starts, so a prepended stub does not move it), and counts the entries,
 * so that the caller can tell whether both read the same directory and refuse the archive when not.
 */
final class CentralDirectory {

    /** What the central directory holds: how many entries, and the raw names of those that are links. */
    record Scan(int entries, Set<String> links) {
    }

    private static final int END_LEN = 22;
    private static final int EOCD_SIG = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int ZIP64_LOCATOR_LEN = 20;
    private static final int ZIP64_EOCD_SIG = 0x06064b50;
    private static final int ZIP64_EOCD_LEN = 56;
    private static final int CEN_SIG = 0x02014b50;
    private static final int LOC_SIG = 0x04034b50;
    private static final int S_IFMT = 0170000;
    private static final int S_IFLNK = 0120000;
    private static final int MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;

    private CentralDirectory() {
    }

    /** Scans the central directory; null when no directory can be found or read. */
    static Scan scan(Path zip) throws IOException {
        try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < END_LEN) {
                return null;
            }
            int tailLen = (int) Math.min(size, 65_535 + END_LEN);
            long tailStart = size - tailLen;
            ByteBuffer tail = read(ch, tailStart, tailLen);
            for (int i = tailLen - END_LEN; i >= 0; i--) {
                if (tail.getInt(i) != EOCD_SIG) {
                    continue;
                }
                long endPos = tailStart + i;
                long cdSize = u32(tail, i + 12);
                long cdOffset = u32(tail, i + 16);
                int commentLen = tail.getShort(i + 20) & 0xFFFF;
                if (endPos + END_LEN + commentLen != size
                        && !(signatureAt(ch, endPos - cdSize, CEN_SIG) && signatureAt(ch, endPos - cdSize - cdOffset, LOC_SIG))) {
                    continue; // a signature inside the comment, as the JDK sees it too
                }
                int entries = tail.getShort(i + 10) & 0xFFFF;
                long[] z64 = zip64(ch, endPos, cdSize, cdOffset, entries);
                long dirEnd = z64 == null ? endPos : z64[0];
                long dirSize = z64 == null ? cdSize : z64[1];
                return directory(ch, dirEnd - dirSize, dirSize);
            }
        }
        return null;
    }

    /** {end position, directory size} from a ZIP64 end record consistent with the plain one; null when none. */
    private static long[] zip64(FileChannel ch, long endPos, long cdSize, long cdOffset, int entries) throws IOException {
        if (endPos < ZIP64_LOCATOR_LEN) {
            return null;
        }
        ByteBuffer loc = read(ch, endPos - ZIP64_LOCATOR_LEN, ZIP64_LOCATOR_LEN);
        if (loc.limit() < ZIP64_LOCATOR_LEN || loc.getInt(0) != ZIP64_LOCATOR_SIG) {
            return null;
        }
        long pos = loc.getLong(8);
        if (pos < 0 || pos > ch.size() - ZIP64_EOCD_LEN) {
            return null;
        }
        ByteBuffer rec = read(ch, pos, ZIP64_EOCD_LEN);
        if (rec.getInt(0) != ZIP64_EOCD_SIG) {
            return null;
        }
        long total64 = rec.getLong(32);
        long size64 = rec.getLong(40);
        long offset64 = rec.getLong(48);
        if (size64 != cdSize && cdSize != 0xFFFF_FFFFL || offset64 != cdOffset && cdOffset != 0xFFFF_FFFFL
                || total64 != entries && entries != 0xFFFF) {
            return null;
        }
        return new long[] {pos, size64};
    }

    private static Scan directory(FileChannel ch, long start, long size) throws IOException {
        if (size < 0 || size > MAX_DIRECTORY_BYTES || start < 0) {
            return null;
        }
        ByteBuffer cd = read(ch, start, (int) size);
        if (cd.limit() != size) {
            return null;
        }
        Set<String> links = new HashSet<>();
        int count = 0;
        int p = 0;
        while (p + 46 <= cd.limit()) {
            if (cd.getInt(p) != CEN_SIG) {
                return null;
            }
            int madeBy = (cd.getShort(p + 4) & 0xFFFF) >>> 8;
            int nameLen = cd.getShort(p + 28) & 0xFFFF;
            int extraLen = cd.getShort(p + 30) & 0xFFFF;
            int commentLen = cd.getShort(p + 32) & 0xFFFF;
            int mode = cd.getInt(p + 38) >>> 16;
            if (p + 46 + nameLen > cd.limit()) {
                return null;
            }
            // host 3 is Unix; 19 is OS X, which writes Unix modes too
            if ((madeBy == 3 || madeBy == 19) && (mode & S_IFMT) == S_IFLNK) {
                byte[] name = new byte[nameLen];
                cd.get(p + 46, name);
                links.add(new String(name, StandardCharsets.UTF_8));
            }
            count++;
            p += 46 + nameLen + extraLen + commentLen;
        }
        return new Scan(count, links);
    }

    private static boolean signatureAt(FileChannel ch, long position, int signature) throws IOException {
        if (position < 0 || position > ch.size() - 4) {
            return false;
        }
        ByteBuffer b = read(ch, position, 4);
        return b.limit() == 4 && b.getInt(0) == signature;
    }

    private static long u32(ByteBuffer b, int index) {
        return b.getInt(index) & 0xFFFF_FFFFL;
    }

    private static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                break;
            }
        }
        buf.flip();
        return buf;
    }
}
