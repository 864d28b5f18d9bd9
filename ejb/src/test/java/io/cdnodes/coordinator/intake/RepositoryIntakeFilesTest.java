package io.cdnodes.coordinator.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdnodes.coordinator.intake.ZipIntake.Accepted;
import io.cdnodes.protocol.pkg.UnzipLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetched repositories through the upload's intake: a zipball's top folder, a clone's folder, and refusals. */
class RepositoryIntakeFilesTest {

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
    void aZipballIsOneProjectWithoutItsTopFolder() throws Exception {
        Path zip = TestZips.write(dir.resolve("r.zip"), "octo-r-0a1b2c3/", "", "octo-r-0a1b2c3/pyproject.toml", "",
                "octo-r-0a1b2c3/tests/test_r.py", "def test(): pass\n", "octo-r-0a1b2c3/.github/ci.yml", "on: push\n");

        Accepted a = intake.acceptArchive(zip, "r", false);

        assertThat(a.name()).isEqualTo("r");
        assertThat(a.hasTests()).isTrue();
        assertThat(TestZips.names(store.path(a.packageId())))
                .containsExactly(".github/ci.yml", "pyproject.toml", "tests/test_r.py");
        assertThat(scratchLeft()).isEmpty();
    }

    @Test
    void anArchiveWithoutOneTopFolderIsTakenWhole() throws Exception {
        Path zip = TestZips.write(dir.resolve("r.zip"), "a/test_a.py", "", "b/test_b.py", "");

        Accepted a = intake.acceptArchive(zip, "r", false);

        assertThat(TestZips.names(store.path(a.packageId()))).containsExactly("a/test_a.py", "b/test_b.py");
        assertThat(ZipIntake.topFolder(List.of("x/", "x/a.py", "x/b/c.py"))).isEqualTo("x/");
        assertThat(ZipIntake.topFolder(List.of("x/a.py", "README"))).isEmpty();
        assertThat(ZipIntake.topFolder(List.of())).isEmpty();
    }

    @Test
    void aZipballWithoutTestsOrWithAnUnsafeEntryIsRefusedAndStoresNothing() throws Exception {
        Path docs = TestZips.write(dir.resolve("d.zip"), "o-d-1/README.md", "# docs\n", "o-d-1/src/m.py", "");
        assertThatThrownBy(() -> intake.acceptArchive(docs, "d", false))
                .isInstanceOfSatisfying(IntakeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(IntakeException.Kind.NO_TESTS);
                    assertThat(e.getMessage()).contains("no test files").contains("repository");
                });
        Path slip = TestZips.write(dir.resolve("s.zip"), "o-s-1/test_s.py", "", "o-s-1/../../evil.py", "");
        assertThatThrownBy(() -> intake.acceptArchive(slip, "s", false))
                .isInstanceOfSatisfying(IntakeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(IntakeException.Kind.UNSAFE_ENTRY);
                    assertThat(e.entry()).isEqualTo("o-s-1/../../evil.py");
                });
        assertThat(storedPackages()).isEmpty();
    }

    @Test
    void aFolderLeavesGitJunkAndLinksOut() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("clone"));
        Files.createDirectories(repo.resolve(".git/objects"));
        Files.writeString(repo.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        Files.createDirectories(repo.resolve("pkg/__pycache__"));
        Files.writeString(repo.resolve("pkg/__pycache__/m.cpython-311.pyc"), "pyc");
        Files.writeString(repo.resolve("pkg/m.py"), "X = 1\n");
        Files.writeString(repo.resolve("test_m.py"), "from pkg.m import X\n\ndef test(): assert X == 1\n");
        Files.createSymbolicLink(repo.resolve("passwd"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(repo.resolve("pkg-link"), repo.resolve("pkg"));

        Accepted a = intake.acceptFolder(repo, "clone", false);

        assertThat(a.files()).isEqualTo(2);
        assertThat(TestZips.names(store.path(a.packageId()))).containsExactly("pkg/m.py", "test_m.py");
        assertThat(scratchLeft()).isEmpty();
    }

    @Test
    void aFolderOverALimitOrWithoutTestsIsRefused() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("big"));
        Files.writeString(repo.resolve("test_a.py"), "def test(): pass\n");
        Files.write(repo.resolve("data.bin"), new byte[5000]);
        ZipIntake small = new ZipIntake(store, new UnzipLimits(10, 4000, 100_000, 200));
        assertThatThrownBy(() -> small.acceptFolder(repo, "big", false))
                .isInstanceOfSatisfying(IntakeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(IntakeException.Kind.TOO_LARGE);
                    assertThat(e.entry()).isEqualTo("data.bin");
                });
        ZipIntake few = new ZipIntake(store, new UnzipLimits(1, 100_000, 100_000, 200));
        assertThatThrownBy(() -> few.acceptFolder(repo, "big", false)).hasMessageContaining("more than 1 files");
        ZipIntake total = new ZipIntake(store, new UnzipLimits(10, 100_000, 5010, 200));
        assertThatThrownBy(() -> total.acceptFolder(repo, "big", false)).hasMessageContaining("add up to");

        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("README.md"), "# docs\n");
        assertThatThrownBy(() -> intake.acceptFolder(docs, "docs", false))
                .isInstanceOfSatisfying(IntakeException.class,
                        e -> assertThat(e.kind()).isEqualTo(IntakeException.Kind.NO_TESTS));
        boolean doctests = true; // as RunOptions.doctests() says for "--doctest-glob=*.md"
        assertThat(intake.acceptFolder(docs, "docs", doctests).hasTests()).isTrue();
    }

    private List<String> storedPackages() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("packages"))) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
        }
    }

    private List<Path> scratchLeft() throws Exception {
        Path tmp = dir.resolve("packages/tmp");
        if (!Files.exists(tmp)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(tmp)) {
            return s.toList();
        }
    }
}
