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
 * header's external attributes, to find symbolic links. Anything it cannot parse yields an empty set; the
 * JDK's reader then decides whether the archive is a zip at all.
 */
final class CentralDirectory {

    private static final int EOCD_SIG = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int ZIP64_EOCD_SIG = 0x06064b50;
    private static final int CEN_SIG = 0x02014b50;
    private static final int S_IFMT = 0170000;
    private static final int S_IFLNK = 0120000;
    private static final int MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;

    private CentralDirectory() {
    }

    /** Raw entry names whose Unix mode says "symbolic link". */
    static Set<String> symlinks(Path zip) throws IOException {
        Set<String> links = new HashSet<>();
        try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.READ)) {
            long size = ch.size();
            int tailLen = (int) Math.min(size, 65_535 + 22);
            ByteBuffer tail = read(ch, size - tailLen, tailLen);
            int eocd = -1;
            for (int i = tailLen - 22; i >= 0; i--) {
                if (tail.getInt(i) == EOCD_SIG) {
                    eocd = i;
                    break;
                }
            }
            if (eocd < 0) {
                return links;
            }
            long cdSize = tail.getInt(eocd + 12) & 0xFFFF_FFFFL;
            long cdOffset = tail.getInt(eocd + 16) & 0xFFFF_FFFFL;
            if ((cdOffset == 0xFFFF_FFFFL || cdSize == 0xFFFF_FFFFL) && eocd >= 20
                    && tail.getInt(eocd - 20) == ZIP64_LOCATOR_SIG) {
                long z64 = tail.getLong(eocd - 20 + 8);
                if (z64 < 0 || z64 + 56 > size) {
                    return links;
                }
                ByteBuffer rec = read(ch, z64, 56);
                if (rec.getInt(0) != ZIP64_EOCD_SIG) {
                    return links;
                }
                cdSize = rec.getLong(40);
                cdOffset = rec.getLong(48);
            }
            if (cdSize <= 0 || cdSize > MAX_DIRECTORY_BYTES || cdOffset < 0 || cdOffset + cdSize > size) {
                return links;
            }
            ByteBuffer cd = read(ch, cdOffset, (int) cdSize);
            int p = 0;
            while (p + 46 <= cd.limit() && cd.getInt(p) == CEN_SIG) {
                int madeBy = (cd.getShort(p + 4) & 0xFFFF) >>> 8;
                int nameLen = cd.getShort(p + 28) & 0xFFFF;
                int extraLen = cd.getShort(p + 30) & 0xFFFF;
                int commentLen = cd.getShort(p + 32) & 0xFFFF;
                int external = cd.getInt(p + 38);
                if (p + 46 + nameLen > cd.limit()) {
                    break;
                }
                int mode = external >>> 16;
                // host 3 is Unix; 19 is OS X, which writes Unix modes too
                if ((madeBy == 3 || madeBy == 19) && (mode & S_IFMT) == S_IFLNK) {
                    byte[] name = new byte[nameLen];
                    cd.get(p + 46, name);
                    links.add(new String(name, StandardCharsets.UTF_8));
                }
                p += 46 + nameLen + extraLen + commentLen;
            }
        }
        return links;
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
