package io.cdnodes.protocol.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.cdnodes.protocol.pkg.UnsafeArchiveException.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Entry names, duplicates and links: everything {@link SafeUnzip} refuses before writing a byte. */
class SafeUnzipNamesTest {

    @TempDir
    Path dir;

    private final SafeUnzip unzip = new SafeUnzip(UnzipLimits.defaults());

    @ParameterizedTest
    @ValueSource(strings = {"../evil.py", "a/../../evil.py", "a/..", "..", "/etc/passwd", "/", "a\\b.py",
            "..\\evil.py", "C:/evil.py", "c:evil.py", "a\0b.py"})
    void unsafeNamesAreRefusedWithTheRawName(String name) throws Exception {
        Path zip = Zips.write(dir.resolve("u.zip"), "ok.py", "x", name, "boom");

        UnsafeArchiveException e = catchThrowableOfType(UnsafeArchiveException.class, () -> unzip.list(zip));

        assertThat(e.rule()).isEqualTo(Rule.UNSAFE_PATH);
        assertThat(e.entry()).isEqualTo(name);
    }

    @Test
    void unsafeNameIsRefusedByExtractBeforeAnythingIsWritten() throws Exception {
        Path zip = Zips.write(dir.resolve("u.zip"), "first.py", "x", "../evil.py", "boom");
        Path target = Files.createDirectory(dir.resolve("t"));

        UnsafeArchiveException e = catchThrowableOfType(UnsafeArchiveException.class,
                () -> unzip.extract(zip, "", target, rel -> false));

        assertThat(e.rule()).isEqualTo(Rule.UNSAFE_PATH);
        assertThat(e.entry()).isEqualTo("../evil.py");
        try (var files = Files.list(target)) {
            assertThat(files).isEmpty();
        }
        assertThat(dir.resolve("evil.py")).doesNotExist();
    }

    @Test
    void messagesSayWhatIsWrong() {
        assertThat(reason("")).isEqualTo("entry  is empty");
        assertThat(reason("a\0b")).isEqualTo("entry a\\0b contains a NUL character");
        assertThat(reason("a\\b")).isEqualTo("entry a\\b contains a backslash");
        assertThat(reason("/a")).isEqualTo("entry /a is an absolute path");
        assertThat(reason("D:a")).isEqualTo("entry D:a starts with a drive letter");
        assertThat(reason("a/../b")).isEqualTo("entry a/../b has a '..' segment that would leave its folder");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b/c..py", "..a", "a/.../b", "./a.py", "a/./b.py", "xy/z:w.py",
            "tests/test_a.py", "unicodé/ß.py", ".hidden"})
    void ordinaryNamesPass(String name) {
        assertThatCode(() -> SafeUnzip.checkName(name)).doesNotThrowAnyException();
    }

    @Test
    void namesEqualAfterNormalisingAreDuplicates() throws Exception {
        Path zip = Zips.write(dir.resolve("d.zip"), "p/a.py", "1", "p/./a.py", "2");

        UnsafeArchiveException e = catchThrowableOfType(UnsafeArchiveException.class, () -> unzip.list(zip));

        assertThat(e.rule()).isEqualTo(Rule.DUPLICATE);
        assertThat(e.entry()).isEqualTo("p/./a.py");
        assertThat(e).hasMessage("entry p/./a.py is in the archive twice");
    }

    @Test
    void doubledSlashesMakeDuplicatesToo() throws Exception {
        Path zip = Zips.write(dir.resolve("d.zip"), "p//a.py", "1", "p/a.py", "2");

        assertThat(catchThrowableOfType(UnsafeArchiveException.class, () -> unzip.list(zip)).entry()).isEqualTo("p/a.py");
    }

    @Test
    void identicalRawNamesAreDuplicates() throws Exception {
        Path zip = Zips.write(dir.resolve("d.zip"), "dupA.py", "first", "dupB.py", "second");
        Zips.replaceBytes(zip, "dupB.py", "dupA.py");

        UnsafeArchiveException e = catchThrowableOfType(UnsafeArchiveException.class, () -> unzip.list(zip));

        assertThat(e.rule()).isEqualTo(Rule.DUPLICATE);
        assertThat(e.entry()).isEqualTo("dupA.py");
    }

    @Test
    void aFileAndAFolderOfTheSameNameConflict() throws Exception {
        // Without this check, extraction failed half-way with FileAlreadyExistsException (a 500, not a 4xx).
        Path zip = Zips.write(dir.resolve("c.zip"), "p/a", "file", "p/a/b.py", "under a file");
        Path target = Files.createDirectory(dir.resolve("t"));

        UnsafeArchiveException listed = catchThrowableOfType(UnsafeArchiveException.class, () -> unzip.list(zip));
        UnsafeArchiveException extracted = catchThrowableOfType(UnsafeArchiveException.class,
                () -> unzip.extract(zip, "", target, rel -> false));

        assertThat(listed.rule()).isEqualTo(Rule.DUPLICATE);
        assertThat(listed.entry()).isEqualTo("p/a");
        assertThat(listed).hasMessage("entry p/a is both a file and a folder");
        assertThat(extracted.rule()).isEqualTo(Rule.DUPLICATE);
    }

    @Test
    void aFolderEntryAndAFileOfTheSameNameConflict() throws Exception {
        Path zip = Zips.write(dir.resolve("c.zip"), "p/a", "file", "p/a/", "");

        UnsafeArchiveException e = catchThrowableOfType(UnsafeArchiveException.class, () -> unzip.list(zip));

        assertThat(e.rule()).isEqualTo(Rule.DUPLICATE);
        assertThat(e.entry()).isEqualTo("p/a");
    }

    @Test
    void folderEntriesAndFilesInThemAreNoConflict() throws Exception {
        Path zip = Zips.write(dir.resolve("ok.zip"), "p/", "", "p/a/", "", "p/a/b.py", "x", "p/c.py", "y");

        assertThat(unzip.list(zip)).containsExactly("p/", "p/a/", "p/a/b.py", "p/c.py");
    }

    @Test
    void unixSymlinkIsRefused() throws Exception {
        Path zip = Zips.write(dir.resolve("l.zip"), "p/test_a.py", "x", "p/link", "../../etc/passwd");
        Zips.markSymlink(zip, "p/link");

        UnsafeArchiveException e = catchThrowableOfType(UnsafeArchiveException.class, () -> unzip.list(zip));

        assertThat(e.rule()).isEqualTo(Rule.LINK);
        assertThat(e.entry()).isEqualTo("p/link");
        assertThat(e).hasMessage("entry p/link is a symbolic link; links are not accepted");
    }

    @Test
    void symlinkWrittenByOsXIsRefused() throws Exception {
        Path zip = Zips.write(dir.resolve("l.zip"), "link", "target");
        Zips.setMode(zip, "link", 19, Zips.SYMLINK_ATTRS);

        assertThat(catchThrowableOfType(UnsafeArchiveException.class, () -> unzip.list(zip)).rule()).isEqualTo(Rule.LINK);
    }

    @Test
    void symlinkIsRefusedByExtractToo() throws Exception {
        Path zip = Zips.write(dir.resolve("l.zip"), "link", "/etc/passwd");
        Zips.markSymlink(zip, "link");
        Path target = Files.createDirectory(dir.resolve("t"));

        assertThat(catchThrowableOfType(UnsafeArchiveException.class, () -> unzip.extract(zip, "", target, r -> false))
                .rule()).isEqualTo(Rule.LINK);
        assertThat(target.resolve("link")).doesNotExist();
    }

    @Test
    void unixRegularFileModeAndLinkBitsFromOtherHostsAreAccepted() throws Exception {
        Path zip = Zips.write(dir.resolve("m.zip"), "a.py", "x", "b.py", "y");
        Zips.setMode(zip, "a.py", 3, Zips.REGULAR_ATTRS);
        Zips.setMode(zip, "b.py", 0, Zips.SYMLINK_ATTRS); // MS-DOS host: the high bits mean nothing

        assertThat(unzip.list(zip)).containsExactly("a.py", "b.py");
    }

    @Test
    void symlinkStoredByInfoZipIsRefused() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/p"));
        Files.writeString(src.resolve("test_a.py"), "def test_a(): pass\n");
        Files.createSymbolicLink(src.resolve("secret"), Path.of("test_a.py"));
        Path zip = dir.resolve("y.zip");
        boolean zipped;
        try {
            Process p = new ProcessBuilder("zip", "-q", "-y", "-r", zip.toString(), "p")
                    .directory(dir.resolve("src").toFile()).redirectErrorStream(true).start();
            zipped = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException noZipCommand) {
            zipped = false;
        }
        assumeThat(zipped).as("the zip command is available").isTrue();

        UnsafeArchiveException e = catchThrowableOfType(UnsafeArchiveException.class, () -> unzip.list(zip));

        assertThat(e.rule()).isEqualTo(Rule.LINK);
        assertThat(e.entry()).isEqualTo("p/secret");
    }

    @Test
    void listGivesNormalisedNamesInArchiveOrder() throws Exception {
        Path zip = Zips.write(dir.resolve("n.zip"), "./z.py", "1", "a//b/", "", "a//b/c.py", "2");

        List<String> names = unzip.list(zip);

        assertThat(names).containsExactly("z.py", "a/b/", "a/b/c.py");
    }

    private static String reason(String name) {
        return catchThrowableOfType(UnsafeArchiveException.class, () -> SafeUnzip.checkName(name)).getMessage();
    }
}
