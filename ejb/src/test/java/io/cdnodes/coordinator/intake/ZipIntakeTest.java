package io.cdnodes.coordinator.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.intake.ZipIntake.Accepted;
import io.cdnodes.protocol.pkg.UnzipLimits;
import io.cdnodes.protocol.transfer.PackageDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads that are accepted: which projects a zip holds, what their packages contain, and dedup. */
class ZipIntakeTest {

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
    void zipWhoseRootIsAProjectIsOneProjectNamedAfterTheUpload() throws Exception {
        Path zip = TestZips.write(dir.resolve("up.zip"), "pyproject.toml", "[project]\n", "src/calc.py", "X = 1\n",
                "tests/", "", "tests/test_calc.py", "def test(): pass\n", "__pycache__/calc.pyc", "junk");

        List<Accepted> accepted = intake.accept(zip, "Homework 3.zip", false);

        assertThat(accepted).hasSize(1);
        Accepted a = accepted.get(0);
        assertThat(a.name()).isEqualTo("Homework 3");
        assertThat(a.files()).isEqualTo(3);
        assertThat(a.hasTests()).isTrue();
        Path pkg = store.path(a.packageId());
        assertThat(TestZips.names(pkg)).containsExactly("pyproject.toml", "src/calc.py", "tests/test_calc.py");
        assertThat(TestZips.content(pkg, "tests/test_calc.py")).isEqualTo("def test(): pass\n");
        assertThat(a.bytes()).isEqualTo(Files.size(pkg));
        assertThat(a.packageId()).isEqualTo(PackageDigest.of(pkg));
    }

    @Test
    void aTestFileAtTheRootMakesTheRootAProject() throws Exception {
        Path zip = TestZips.write(dir.resolve("up.zip"), "test_x.py", "def test_x(): pass\n", "lib/util.py", "");

        List<Accepted> accepted = intake.accept(zip, "C:\\Users\\me\\kata.ZIP", false);

        assertThat(accepted).extracting(Accepted::name).containsExactly("kata");
        assertThat(TestZips.names(store.path(accepted.get(0).packageId()))).containsExactly("lib/util.py", "test_x.py");
    }

    @Test
    void rootProjectWithoutAnUploadNameIsCalledProject() throws Exception {
        Path zip = TestZips.write(dir.resolve("up.zip"), "tests/test_x.py", "");

        assertThat(intake.accept(zip, null, false)).extracting(Accepted::name).containsExactly("project");
        assertThat(intake.accept(zip, ".zip", false)).extracting(Accepted::name).containsExactly("project");
    }

    @Test
    void eachTopLevelFolderIsAProjectInNameOrderWithArchiverJunkIgnored() throws Exception {
        Path zip = TestZips.write(dir.resolve("class.zip"),
                "zeta/", "", "zeta/test_z.py", "Z",
                "__MACOSX/", "", "__MACOSX/zeta/._test_z.py", "mac",
                ".DS_Store", "mac",
                "alpha/tests/test_a.py", "A", "alpha/.DS_Store", "mac", "alpha/__pycache__/m.cpython-311.pyc", "pyc",
                "alpha/m.py", "M", "alpha/.git/HEAD", "ref",
                "beta/README.md", "no tests here",
                "README.txt", "a file at the root of a non-project zip");

        List<Accepted> accepted = intake.accept(zip, "class.zip", false);

        assertThat(accepted).extracting(Accepted::name).containsExactly("alpha", "beta", "zeta");
        assertThat(accepted).extracting(Accepted::hasTests).containsExactly(true, false, true);
        assertThat(accepted).extracting(Accepted::files).containsExactly(2, 1, 1);
        assertThat(TestZips.names(store.path(accepted.get(0).packageId()))).containsExactly("m.py", "tests/test_a.py");
        assertThat(TestZips.names(store.path(accepted.get(1).packageId()))).containsExactly("README.md");
        assertThat(TestZips.names(store.path(accepted.get(2).packageId()))).containsExactly("test_z.py");
    }

    @Test
    void zipHoldingOneFolderIsThatProject() throws Exception {
        Path zip = TestZips.write(dir.resolve("up.zip"), "kata-main/", "", "kata-main/setup.cfg", "[tool:pytest]\n",
                "kata-main/kata/__init__.py", "", "kata-main/kata/test_kata.py", "def test(): pass\n");

        List<Accepted> accepted = intake.accept(zip, "kata-main.zip", false);

        assertThat(accepted).extracting(Accepted::name).containsExactly("kata-main");
        assertThat(TestZips.names(store.path(accepted.get(0).packageId())))
                .containsExactly("kata/__init__.py", "kata/test_kata.py", "setup.cfg");
    }

    @Test
    void doctestOptionsWidenWhatCountsAsTests() throws Exception {
        Path zip = TestZips.write(dir.resolve("up.zip"), "pyproject.toml", "", "src/mod.py", "def f():\n    '''>>> 1'''\n");
        boolean doctests = true; // as RunOptions.doctests() says for "--doctest-modules", "src"

        List<Accepted> accepted = intake.accept(zip, "docs.zip", doctests);

        assertThat(accepted).extracting(Accepted::name, Accepted::hasTests).containsExactly(
                org.assertj.core.groups.Tuple.tuple("docs", true));
    }

    @Test
    void doctestGlobCountsTextFiles() throws Exception {
        Path zip = TestZips.write(dir.resolve("up.zip"), "a/guide.rst", ">>> 1\n1\n", "b/notes.md", "", "c/data.csv", "");
        boolean doctests = true; // as RunOptions.doctests() says for "--doctest-glob=*.rst"

        List<Accepted> accepted = intake.accept(zip, "x.zip", doctests);

        assertThat(accepted).extracting(Accepted::hasTests).containsExactly(true, true, false);
    }

    @Test
    void equalProjectContentIsStoredOnceAcrossUploads() throws Exception {
        Path first = TestZips.write(dir.resolve("first.zip"), "pyproject.toml", "[project]\n",
                "tests/test_a.py", "def test(): pass\n");
        Path second = TestZips.write(dir.resolve("second.zip"), "copy/", "", "copy/__MACOSX/x", "",
                "copy/tests/test_a.py", "def test(): pass\n", "copy/pyproject.toml", "[project]\n");

        Accepted a = intake.accept(first, "first.zip", false).get(0);
        Accepted b = intake.accept(second, "second.zip", false).get(0);

        assertThat(b.packageId()).isEqualTo(a.packageId());
        assertThat(b.bytes()).isEqualTo(a.bytes());
        assertThat(a.name()).isEqualTo("first");
        assertThat(b.name()).isEqualTo("copy");
        assertThat(storedPackages()).containsExactly(a.packageId() + ".zip");
    }

    @Test
    void equalProjectsInOneUploadShareTheirPackage() throws Exception {
        Path zip = TestZips.write(dir.resolve("up.zip"), "a/test_x.py", "same", "b/test_x.py", "same",
                "c/test_x.py", "different");

        List<Accepted> accepted = intake.accept(zip, "up.zip", false);

        assertThat(accepted.get(0).packageId()).isEqualTo(accepted.get(1).packageId())
                .isNotEqualTo(accepted.get(2).packageId());
        assertThat(storedPackages()).hasSize(2);
    }

    @Test
    void scratchSpaceIsCleanedUp() throws Exception {
        Path zip = TestZips.write(dir.resolve("up.zip"), "a/test_x.py", "1", "b/test_y.py", "2");

        intake.accept(zip, "up.zip", false);

        assertThat(dir.resolve("packages/tmp")).isEmptyDirectory();
    }

    @Test
    void rootNames() {
        assertThat(ZipIntake.rootName("a/b/c.zip")).isEqualTo("c");
        assertThat(ZipIntake.rootName("c.tar")).isEqualTo("c.tar");
        assertThat(ZipIntake.rootName("   ")).isEqualTo("project");
        assertThat(ZipIntake.rootName("dir/")).isEqualTo("project");
    }

    private List<String> storedPackages() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("packages"))) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
