package io.cdnodes.coordinator.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.intake.ProjectLayout.Found;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which projects a list of entry names holds, and what counts as a test file. */
class ProjectLayoutTest {

    @ParameterizedTest
    @ValueSource(strings = {"pyproject.toml", "setup.cfg", "tox.ini", "pytest.ini", "conftest.py", "setup.py",
            "test_x.py", "x_test.py", "tests/a.txt", "test/data/b.bin"})
    void aMarkerAtTheRootMakesTheRootTheProject(String marker) {
        List<Found> found = ProjectLayout.find(List.of("a/test_a.py", "b/test_b.py", marker), "upload");

        assertThat(found).containsExactly(new Found("upload", ""));
    }

    @Test
    void markersBelowTheRootDoNotCount() {
        List<Found> found = ProjectLayout.find(List.of("b/pyproject.toml", "a/tests/test_a.py", "a/conftest.py"), "up");

        assertThat(found).containsExactly(new Found("a", "a/"), new Found("b", "b/"));
    }

    @Test
    void otherRootFilesAreNotAProjectAndBelongToNone() {
        List<Found> found = ProjectLayout.find(List.of("README.md", "Makefile", "p/test_p.py"), "up");

        assertThat(found).containsExactly(new Found("p", "p/"));
    }

    @Test
    void foldersAreSortedAndFolderEntriesAloneDoNotMakeAProject() {
        List<Found> found = ProjectLayout.find(List.of("z/", "z/a.py", "empty/", "M/x.py", "a b/c.py"), "up");

        assertThat(found).containsExactly(new Found("M", "M/"), new Found("a b", "a b/"), new Found("z", "z/"));
    }

    @Test
    void junkIsIgnoredWhenFindingProjects() {
        List<Found> found = ProjectLayout.find(List.of("__MACOSX/p/._test_p.py", "__MACOSX/._p", ".DS_Store",
                "p/test_p.py", ".git/config", "__pycache__/conftest.cpython-311.pyc"), "up");

        assertThat(found).containsExactly(new Found("p", "p/"));
    }

    @Test
    void nothingButJunkAndFoldersIsNothing() {
        assertThat(ProjectLayout.find(List.of(), "up")).isEmpty();
        assertThat(ProjectLayout.find(List.of("a/", "a/b/", "__MACOSX/x", "x/.DS_Store"), "up")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"__MACOSX/a", "a/__MACOSX", ".DS_Store", "p/.DS_Store", "p/__pycache__/m.pyc",
            "p/__pycache__/", ".pytest_cache/v/x", "p/.git/HEAD", ".hg/store", ".svn/entries", ".tox/py311/x",
            ".venv/bin/python", "p/.mypy_cache/x.json", "m.pyc", "p/M.PYC", "p/m.pyo", "build/.venv"})
    void junk(String path) {
        assertThat(ProjectLayout.junk(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"p/m.py", "p/.gitignore", "p/.github/workflows/ci.yml", "p/venv/x", "p/pycache/x",
            "p/DS_Store", "p/m.pyi", "p/my.git/x", "tox.ini"})
    void notJunk(String path) {
        assertThat(ProjectLayout.junk(path)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"test_a.py", "tests/test_a.py", "a/b/c_test.py", "test_.py", "_test.py"})
    void testFiles(String path) {
        assertThat(TestFiles.isTestFile(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tests/conftest.py", "test_a.txt", "test_a.pyc", "atest_b.py", "tests/helper.py",
            "test_dir/a.py", "Test_a.py", "a_test.py.bak"})
    void notTestFiles(String path) {
        assertThat(TestFiles.isTestFile(path)).isFalse();
    }

    @Test
    void filesThatMayHoldDoctests() {
        assertThat(List.of("m.py", "README.txt", "docs/index.rst", "README.md"))
                .allMatch(TestFiles::mayHoldDoctests);
        assertThat(List.of("data.csv", "m.pyc", "notes.MD", "Makefile")).noneMatch(TestFiles::mayHoldDoctests);
    }
}
