package io.cdnodes.coordinator.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cdnodes.coordinator.intake.IntakeException.Kind;
import io.cdnodes.protocol.pkg.UnsafeArchiveException;
import io.cdnodes.protocol.pkg.UnsafeArchiveException.Rule;
import io.cdnodes.protocol.pkg.UnzipLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Uploads that are refused, with the kind a problem+json answer is made of, and nothing left stored. */
class ZipIntakeRefusalTest {

    @TempDir
    Path dir;

    private PackageStore store;
    private ZipIntake intake;

    @BeforeEach
    void setUp() {
        store = new PackageStore(dir.resolve("packages"));
        intake = new ZipIntake(store, UnzipLimits.defaults());
    }

    @Test
    void zipWithoutEntriesIsEmpty() throws Exception {
        Path zip = TestZips.write(dir.resolve("up.zip"));

        IntakeException e = refusal(zip);

        assertThat(e.kind()).isEqualTo(Kind.EMPTY_ZIP);
        assertThat(e).hasMessage("the zip archive holds no files");
        assertThat(e.entry()).isNull();
    }

    @Test
    void zipOfFoldersAndJunkOnlyIsEmpty() throws Exception {
        Path zip = TestZips.write(dir.resolve("up.zip"), "p/", "", "p/q/", "", "__MACOSX/p/._x", "mac", ".DS_Store", "",
                "p/__pycache__/x.pyc", "");

        assertThat(refusal(zip).kind()).isEqualTo(Kind.EMPTY_ZIP);
    }

    @Test
    void projectWithoutTestsIsRefused() throws Exception {
        Path zip = TestZips.write(dir.resolve("up.zip"), "p/main.py", "print()", "p/tests/conftest.py", "");

        IntakeException e = refusal(zip);

        assertThat(e.kind()).isEqualTo(Kind.NO_TESTS);
        assertThat(e).hasMessage("no test files (test_*.py or *_test.py) in the project");
        assertThat(e.kind().status()).isEqualTo(422);
    }

    @Test
    void severalProjectsWithoutTestsAreRefused() throws Exception {
        Path zip = TestZips.write(dir.resolve("up.zip"), "a/main.py", "", "b/lib.py", "", "c/doc.md", "");

        assertThat(refusal(zip)).hasMessage("no test files (test_*.py or *_test.py) in any of the 3 projects");
        assertThat(storedFiles()).isEmpty();
    }

    @Test
    void testFilesOnlyInsideJunkDoNotCount() throws Exception {
        Path zip = TestZips.write(dir.resolve("up.zip"), "p/main.py", "", "p/.venv/lib/test_site.py", "",
                "__MACOSX/p/test_x.py", "");

        assertThat(refusal(zip).kind()).isEqualTo(Kind.NO_TESTS);
    }

    @Test
    void textIsNotAZip() throws Exception {
        Path file = Files.writeString(dir.resolve("up.zip"), "PK but not really");

        IntakeException e = refusal(file);

        assertThat(e.kind()).isEqualTo(Kind.NOT_A_ZIP);
        assertThat(e.kind().status()).isEqualTo(400);
    }

    @Test
    void emptyFileIsNotAZip() throws Exception {
        assertThat(refusal(Files.createFile(dir.resolve("up.zip"))).kind()).isEqualTo(Kind.NOT_A_ZIP);
    }

    @Test
    void unsafeEntryIsNamed() throws Exception {
        Path zip = TestZips.write(dir.resolve("up.zip"), "p/test_a.py", "", "p/../../evil.py", "boom");

        IntakeException e = refusal(zip);

        assertThat(e.kind()).isEqualTo(Kind.UNSAFE_ENTRY);
        assertThat(e.entry()).isEqualTo("p/../../evil.py");
        assertThat(e).hasMessage("entry p/../../evil.py has a '..' segment that would leave its folder");
    }

    @Test
    void symlinkIsAnUnsafeEntry() throws Exception {
        Path zip = TestZips.write(dir.resolve("up.zip"), "p/test_a.py", "", "p/passwd", "/etc/passwd");
        TestZips.markSymlink(zip, "p/passwd");

        IntakeException e = refusal(zip);

        assertThat(e.kind()).isEqualTo(Kind.UNSAFE_ENTRY);
        assertThat(e.entry()).isEqualTo("p/passwd");
    }

    @Test
    void tooManyEntriesIsTooLarge() throws Exception {
        Path zip = TestZips.write(dir.resolve("up.zip"), "test_a.py", "", "test_b.py", "", "test_c.py", "");

        IntakeException e = catchThrowableOfType(IntakeException.class, () -> new ZipIntake(store,
                new UnzipLimits(2, 1000, 1000, 100)).accept(zip, "up.zip", false));

        assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
        assertThat(e.kind().status()).isEqualTo(413);
    }

    @Test
    void moreProjectsThanOneSubmissionMayHoldAreRefusedBeforeAnyIsPacked() throws Exception {
        String[] entries = new String[2 * (ProjectLayout.MAX_PROJECTS + 1)];
        for (int i = 0; i <= ProjectLayout.MAX_PROJECTS; i++) {
            entries[2 * i] = "p" + i + "/test_x.py";
            entries[2 * i + 1] = "def test_x():\n    pass\n";
        }
        Path zip = TestZips.write(dir.resolve("up.zip"), entries);

        IntakeException e = refusal(zip);

        assertThat(e.kind()).isEqualTo(Kind.TOO_MANY_PROJECTS);
        assertThat(e.kind().status()).isEqualTo(413);
        assertThat(e).hasMessageContaining("501 projects").hasMessageContaining("at most 500");
        assertThat(storedFiles()).isEmpty();
    }

    @Test
    void aBombInTheLastProjectLeavesNothingStored() throws Exception {
        // The bomb is only found while inflating; "alpha" was packed (and used to be stored) by then.
        Path zip = dir.resolve("up.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("alpha/test_a.py"));
            out.write("def test(): pass\n".getBytes());
            out.putNextEntry(new java.util.zip.ZipEntry("beta/test_b.py"));
            out.putNextEntry(new java.util.zip.ZipEntry("beta/zeros.bin"));
            out.write(new byte[2 * 1024 * 1024]);
            out.closeEntry();
        }

        IntakeException e = refusal(zip);

        assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
        assertThat(e.entry()).isEqualTo("beta/zeros.bin");
        assertThat(storedFiles()).isEmpty();
        assertThat(dir.resolve("packages/tmp")).isEmptyDirectory();
    }

    @Test
    void aFileClashingWithAFolderIsAnUnsafeEntryNotAServerError() throws Exception {
        Path zip = TestZips.write(dir.resolve("up.zip"), "p/test_a.py", "", "p/lib", "file", "p/lib/m.py", "");

        IntakeException e = refusal(zip);

        assertThat(e.kind()).isEqualTo(Kind.UNSAFE_ENTRY);
        assertThat(e.entry()).isEqualTo("p/lib");
    }

    @ParameterizedTest
    @CsvSource({"NOT_A_ZIP,NOT_A_ZIP", "UNSAFE_PATH,UNSAFE_ENTRY", "LINK,UNSAFE_ENTRY", "DUPLICATE,UNSAFE_ENTRY",
            "TOO_MANY_ENTRIES,TOO_LARGE", "ENTRY_TOO_LARGE,TOO_LARGE", "TOTAL_TOO_LARGE,TOO_LARGE", "RATIO,TOO_LARGE"})
    void everyRuleMapsToAKind(Rule rule, Kind kind) {
        IntakeException e = ZipIntake.refusal(new UnsafeArchiveException(rule, "x/y", "why"));

        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.entry()).isEqualTo("x/y");
        assertThat(e).hasMessage("why");
    }

    private IntakeException refusal(Path zip) {
        return catchThrowableOfType(IntakeException.class, () -> intake.accept(zip, "up.zip", false));
    }

    private java.util.List<String> storedFiles() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("packages"))) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
        }
    }
}
