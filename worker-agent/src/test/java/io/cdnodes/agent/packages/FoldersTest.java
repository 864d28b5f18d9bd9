package io.cdnodes.agent.packages;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FoldersTest {

    @TempDir
    Path tmp;

    @Test
    void copyCopiesTheTreeWithItsEmptyFolders() throws Exception {
        Path from = Files.createDirectories(tmp.resolve("from/tests/data"));
        Files.writeString(tmp.resolve("from/tests/test_a.py"), "def test_a(): pass\n");
        Files.createDirectories(tmp.resolve("from/empty"));
        Path to = tmp.resolve("to");

        Folders.copy(tmp.resolve("from"), to);

        assertThat(to.resolve("tests/test_a.py")).hasContent("def test_a(): pass\n");
        assertThat(to.resolve("tests/data")).isEmptyDirectory();
        assertThat(to.resolve("empty")).isEmptyDirectory();
        assertThat(from).exists();
    }

    @Test
    void copySkipsLinksInsteadOfFollowingThem() throws Exception {
        Path outside = Files.writeString(tmp.resolve("secret.txt"), "secret");
        Path from = Files.createDirectories(tmp.resolve("from"));
        Files.writeString(from.resolve("a.txt"), "a");
        Files.createSymbolicLink(from.resolve("link.txt"), outside);
        Files.createSymbolicLink(from.resolve("linkdir"), tmp);
        Path to = tmp.resolve("to");

        Folders.copy(from, to);

        assertThat(to.resolve("a.txt")).hasContent("a");
        assertThat(to.resolve("link.txt")).doesNotExist();
        assertThat(to.resolve("linkdir")).doesNotExist();
    }

    @Test
    void deleteRemovesLinksButNotWhatTheyPointTo() throws Exception {
        Path keep = Files.createDirectories(tmp.resolve("keep"));
        Files.writeString(keep.resolve("precious.txt"), "x");
        Path doomed = Files.createDirectories(tmp.resolve("doomed/sub"));
        Files.writeString(doomed.resolve("f.txt"), "f");
        Files.createSymbolicLink(tmp.resolve("doomed/to-keep"), keep);
        Files.createSymbolicLink(tmp.resolve("doomed/sub/file-link"), keep.resolve("precious.txt"));

        Folders.delete(tmp.resolve("doomed"));

        assertThat(tmp.resolve("doomed")).doesNotExist();
        assertThat(keep.resolve("precious.txt")).hasContent("x");
    }

    @Test
    void deletingSomethingMissingIsFineAndALinkAsRootIsRemovedNotFollowed() throws Exception {
        Folders.delete(tmp.resolve("missing"));
        Path keep = Files.createDirectories(tmp.resolve("keep"));
        Files.writeString(keep.resolve("precious.txt"), "x");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), keep);

        Folders.deleteQuietly(link);

        assertThat(link).doesNotExist();
        assertThat(keep.resolve("precious.txt")).hasContent("x");
    }

    @Test
    void writeFreshReplacesALinkAtTheNameAndLeavesItsTargetAlone() throws Exception {
        Path target = Files.writeString(tmp.resolve("bashrc"), "mine\n");
        Path name = tmp.resolve("batch-1.tmp");
        Files.createSymbolicLink(name, target);

        Folders.writeFresh(name, java.util.List.of("t.py::test_a", "t.py::test_b"));

        assertThat(Files.readString(target)).isEqualTo("mine\n");
        assertThat(Files.isSymbolicLink(name)).isFalse();
        assertThat(Files.readAllLines(name)).containsExactly("t.py::test_a", "t.py::test_b");
    }
}
