package io.cdnodes.protocol.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cdnodes.protocol.pkg.UnsafeArchiveException.Rule;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding Unix symbolic links in the central directory, wherever the JDK finds the directory. */
class CentralDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void findsTheLinksAndOnlyThem() throws Exception {
        Path zip = Zips.write(dir.resolve("l.zip"), "a", "x", "l1", "a", "d/", "", "d/l2", "../a", "b", "y");
        Zips.markSymlink(zip, "l1");
        Zips.markSymlink(zip, "d/l2");
        Zips.setMode(zip, "b", 3, Zips.REGULAR_ATTRS);

        assertThat(CentralDirectory.scan(zip).links()).containsExactlyInAnyOrder("l1", "d/l2");
        assertThat(CentralDirectory.scan(zip).entries()).isEqualTo(5);
    }

    @Test
    void archiveWithoutLinksHasNone() throws Exception {
        Path zip = Zips.write(dir.resolve("n.zip"), "a", "x", "b/", "");

        assertThat(CentralDirectory.scan(zip).links()).isEmpty();
        assertThat(CentralDirectory.scan(zip).entries()).isEqualTo(2);
    }

    @Test
    void emptyArchiveHasNoEntries() throws Exception {
        Path zip = Zips.write(dir.resolve("e.zip"), Map.of());

        assertThat(CentralDirectory.scan(zip).entries()).isZero();
        assertThat(CentralDirectory.scan(zip).links()).isEmpty();
    }

    @Test
    void findsLinksBehindAnArchiveComment() throws Exception {
        Path zip = dir.resolve("c.zip");
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(os)) {
            out.putNextEntry(new ZipEntry("link"));
            out.write("target".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.setComment("made by hand");
        }
        patchFirstCen(zip);

        assertThat(CentralDirectory.scan(zip).links()).containsExactly("link");
    }

    @Test
    void garbageAndTinyFilesAreNotReadable() throws Exception {
        Path text = Files.writeString(dir.resolve("t.zip"), "no zip here, just words ".repeat(100));
        Path tiny = Files.write(dir.resolve("tiny.zip"), new byte[] {'P', 'K', 5, 6});
        Path empty = Files.createFile(dir.resolve("empty.zip"));

        assertThat(CentralDirectory.scan(text)).isNull();
        assertThat(CentralDirectory.scan(tiny)).isNull();
        assertThat(CentralDirectory.scan(empty)).isNull();
    }

    @Test
    void findsLinksInAnArchiveWithAPrependedStub() throws Exception {
        // The JDK reads such an archive (self-extracting stubs are common): the directory is where the end
        // record says it ends, not at the offset it records. A reader that trusted the offset saw no links.
        Path zip = Zips.write(dir.resolve("s.zip"), "ok.py", "x", "link", "/etc/passwd");
        Zips.markSymlink(zip, "link");
        Zips.prepend(zip, "#!/bin/sh\nexec unzip \"$0\"\n".repeat(20).getBytes(StandardCharsets.US_ASCII));
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            assertThat(zf.size()).as("the JDK opens it").isEqualTo(2);
        }

        assertThat(CentralDirectory.scan(zip).links()).containsExactly("link");
        UnsafeArchiveException e = catchThrowableOfType(UnsafeArchiveException.class,
                () -> new SafeUnzip(UnzipLimits.defaults()).list(zip));
        assertThat(e.rule()).isEqualTo(Rule.LINK);
        assertThat(e.entry()).isEqualTo("link");
    }

    @Test
    void findsLinksThroughAZip64EndRecord() throws Exception {
        Path zip = Zips.write(dir.resolve("z64.zip"), "ok.py", "x", "link", "/etc/passwd");
        Zips.markSymlink(zip, "link");
        Zips.toZip64(zip);
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            assertThat(zf.size()).as("the JDK opens it").isEqualTo(2);
        }

        assertThat(CentralDirectory.scan(zip).links()).containsExactly("link");
        assertThat(CentralDirectory.scan(zip).entries()).isEqualTo(2);
    }

    @Test
    void aFakeEndRecordInTheCommentDoesNotHideLinks() throws Exception {
        // An end-record signature inside the archive comment, pointing nowhere: the JDK skips it (its comment
        // length does not reach the end of the file and no directory is where it points).
        Path zip = Zips.write(dir.resolve("f.zip"), "link", "/etc/passwd");
        Zips.markSymlink(zip, "link");
        byte[] fake = {'P', 'K', 5, 6, 0, 0, 0, 0, 1, 0, 1, 0, 46, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'x', 'x'};
        byte[] old = Files.readAllBytes(zip);
        byte[] out = java.util.Arrays.copyOf(old, old.length + fake.length);
        System.arraycopy(fake, 0, out, old.length, fake.length);
        out[old.length - 2] = (byte) fake.length; // the real end record's comment length
        Files.write(zip, out);
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            assertThat(zf.getEntry("link")).as("the JDK reads the real directory").isNotNull();
        }

        UnsafeArchiveException e = catchThrowableOfType(UnsafeArchiveException.class,
                () -> new SafeUnzip(UnzipLimits.defaults()).list(zip));
        assertThat(e.rule()).isEqualTo(Rule.LINK);
    }

    /** Marks the first central-directory header as a Unix symlink (the archive may have a comment). */
    private static void patchFirstCen(Path zip) throws Exception {
        byte[] data = Files.readAllBytes(zip);
        var b = java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= data.length; i++) {
            if (b.getInt(i) == 0x02014b50) {
                b.putShort(i + 4, (short) (3 << 8 | 20));
                b.putInt(i + 38, Zips.SYMLINK_ATTRS);
                break;
            }
        }
        Files.write(zip, data);
    }
}
