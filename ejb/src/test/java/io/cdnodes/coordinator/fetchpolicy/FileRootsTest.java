package io.cdnodes.coordinator.fetchpolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * file:// repositories against the admin's roots, on a real file system: inside, outside, through '..',
 * through symbolic links either way, and through the pointers a git folder may hold.
 */
class FileRootsTest {

    @TempDir
    Path dir;

    private Path root;
    private Path outside;
    private FileRoots roots;

    @BeforeEach
    void folders() throws Exception {
        root = Files.createDirectories(dir.resolve("root"));
        outside = Files.createDirectories(dir.resolve("outside"));
        roots = FileRoots.parse(root + File.pathSeparator + dir.resolve("another-root"));
    }

    @Test
    void rootsAreAbsolutePathsSeparatedLikePath() {
        assertThat(FileRoots.parse(null)).isEqualTo(FileRoots.NONE);
        assertThat(FileRoots.parse(" ")).isEqualTo(FileRoots.NONE);
        assertThat(FileRoots.parse("/srv/a/../repos" + File.pathSeparator + File.pathSeparator + " /data ").roots())
                .containsExactly(Path.of("/srv/repos"), Path.of("/data"));
        assertThatThrownBy(() -> FileRoots.parse("/srv" + File.pathSeparator + "repos"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CDNODES_FETCH_FILE_ROOTS: 'repos' is not an absolute path");
    }

    @Test
    void withoutRootsEveryPathIsRefused() throws Exception {
        Path repo = init(root.resolve("r"));
        assertThatThrownBy(() -> FileRoots.NONE.repository(repo)).isInstanceOf(FetchPolicy.Refused.class)
                .hasMessageContaining("CDNODES_FETCH_FILE_ROOTS is empty");
    }

    @Test
    void aRepositoryInsideARootGivesItsGitFolder() throws Exception {
        Path repo = init(root.resolve("team/r"));
        assertThat(roots.repository(repo)).isEqualTo(repo.resolve(".git").toRealPath());
        Path bare = initBare(root.resolve("b.git"));
        assertThat(roots.repository(bare)).isEqualTo(bare.toRealPath());
        assertThat(roots.repository(root.resolve("team/../team/r"))).isEqualTo(repo.resolve(".git").toRealPath());
    }

    @Test
    void aPathOutsideTheRootsIsRefusedWithoutLookingAtTheDisk() throws Exception {
        Path repo = init(outside.resolve("r"));
        assertThatThrownBy(() -> roots.repository(repo)).isInstanceOf(FetchPolicy.Refused.class)
                .hasMessageContaining("outside the allowed roots");
        assertThatThrownBy(() -> roots.repository(root.resolve("../outside/r"))).isInstanceOf(FetchPolicy.Refused.class)
                .hasMessageContaining("is outside the allowed roots");
        // a missing folder outside is refused the same way: nothing tells it apart
        assertThatThrownBy(() -> roots.repository(outside.resolve("nothing"))).isInstanceOf(FetchPolicy.Refused.class)
                .hasMessageContaining("is outside the allowed roots");
        assertThatThrownBy(() -> roots.repository(dir.resolve("root-sibling/r"))).isInstanceOf(FetchPolicy.Refused.class)
                .hasMessageContaining("is outside the allowed roots");
    }

    @Test
    void aMissingPathInsideARootIsRefusedToo() {
        assertThatThrownBy(() -> roots.repository(root.resolve("nothing"))).isInstanceOf(FetchPolicy.Refused.class)
                .hasMessageContaining("cannot be read");
    }

    @Test
    void aSymbolicLinkInsideARootLeadingOutIsRefused() throws Exception {
        Path repo = init(outside.resolve("r"));
        Files.createSymbolicLink(root.resolve("link"), repo);
        Files.createSymbolicLink(root.resolve("up"), outside);
        assertThatThrownBy(() -> roots.repository(root.resolve("link"))).isInstanceOf(FetchPolicy.Refused.class)
                .hasMessageContaining("resolves to " + repo.toRealPath() + ", outside the allowed roots");
        assertThatThrownBy(() -> roots.repository(root.resolve("up/r"))).isInstanceOf(FetchPolicy.Refused.class)
                .hasMessageContaining("outside the allowed roots");
        // a missing path behind such a link: refused, not "not found"
        assertThatThrownBy(() -> roots.repository(root.resolve("up/nothing"))).isInstanceOf(FetchPolicy.Refused.class);
    }

    @Test
    void aRootReachedThroughASymbolicLinkWorksBothWays() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real-root"));
        Path link = Files.createSymbolicLink(dir.resolve("linked-root"), real);
        Path repo = init(real.resolve("r"));
        FileRoots viaLink = FileRoots.parse(link.toString());
        assertThat(viaLink.repository(link.resolve("r"))).isEqualTo(repo.resolve(".git").toRealPath());
        assertThat(viaLink.repository(real.resolve("r"))).isEqualTo(repo.resolve(".git").toRealPath());
    }

    @Test
    void aGitFolderOrFileOrObjectsPointingOutAreRefused() throws Exception {
        Path secret = init(outside.resolve("secret"));

        Path linkedDotGit = Files.createDirectories(root.resolve("linked-dot-git"));
        Files.createSymbolicLink(linkedDotGit.resolve(".git"), secret.resolve(".git"));
        assertThatThrownBy(() -> roots.repository(linkedDotGit)).isInstanceOf(FetchPolicy.Refused.class)
                .hasMessageContaining("its .git folder");

        Path gitFile = Files.createDirectories(root.resolve("git-file"));
        Files.writeString(gitFile.resolve(".git"), "gitdir: " + secret.resolve(".git") + "\n");
        assertThatThrownBy(() -> roots.repository(gitFile)).isInstanceOf(FetchPolicy.Refused.class)
                .hasMessageContaining("gitdir");

        Path relativeGitFile = Files.createDirectories(root.resolve("relative-git-file"));
        Files.writeString(relativeGitFile.resolve(".git"), "gitdir: ../../outside/secret/.git\n");
        assertThatThrownBy(() -> roots.repository(relativeGitFile)).isInstanceOf(FetchPolicy.Refused.class)
                .hasMessageContaining("gitdir");

        Path borrowing = init(root.resolve("borrowing"));
        Files.writeString(borrowing.resolve(".git/objects/info/alternates"), secret.resolve(".git/objects") + "\n");
        assertThatThrownBy(() -> roots.repository(borrowing)).isInstanceOf(FetchPolicy.Refused.class)
                .hasMessageContaining("alternate");

        Path linkedObjects = init(root.resolve("linked-objects"));
        deleteTree(linkedObjects.resolve(".git/objects"));
        Files.createSymbolicLink(linkedObjects.resolve(".git/objects"), secret.resolve(".git/objects"));
        assertThatThrownBy(() -> roots.repository(linkedObjects)).isInstanceOf(FetchPolicy.Refused.class)
                .hasMessageContaining("objects folder");

        Path worktree = initBare(root.resolve("worktree.git"));
        Files.writeString(worktree.resolve("commondir"), secret.resolve(".git") + "\n");
        assertThatThrownBy(() -> roots.repository(worktree)).isInstanceOf(FetchPolicy.Refused.class)
                .hasMessageContaining("commondir");
    }

    @Test
    void pointersThatStayInsideTheRootsAreFollowed() throws Exception {
        Path shared = init(root.resolve("shared"));
        Path gitFile = Files.createDirectories(root.resolve("git-file"));
        Files.writeString(gitFile.resolve(".git"), "gitdir: ../shared/.git\n");
        assertThat(roots.repository(gitFile)).isEqualTo(shared.resolve(".git").toRealPath());

        Path borrowing = init(root.resolve("borrowing"));
        Files.writeString(borrowing.resolve(".git/objects/info/alternates"), "# shared objects\n../../../shared/.git/objects\n");
        assertThat(roots.repository(borrowing)).isEqualTo(borrowing.resolve(".git").toRealPath());
    }

    @Test
    void alternatesThatLoopAreRefusedAfterAFewSteps() throws Exception {
        Path a = init(root.resolve("a"));
        Path b = init(root.resolve("b"));
        Files.writeString(a.resolve(".git/objects/info/alternates"), b.resolve(".git/objects") + "\n");
        Files.writeString(b.resolve(".git/objects/info/alternates"), a.resolve(".git/objects") + "\n");
        assertThatThrownBy(() -> roots.repository(a)).isInstanceOf(FetchPolicy.Refused.class)
                .hasMessageContaining("more than 5 alternates");
    }

    @Test
    void aFileInsideARootIsGivenAsItIsForJGitToReadAsABundle() throws Exception {
        Path bundle = Files.writeString(root.resolve("r.bundle"), "# v2 git bundle\n");
        assertThat(roots.repository(bundle)).isEqualTo(bundle.toRealPath());
    }

    private static Path init(Path at) throws Exception {
        Files.createDirectories(at);
        Git.init().setDirectory(at.toFile()).call().close();
        Files.createDirectories(at.resolve(".git/objects/info"));
        return at;
    }

    private static Path initBare(Path at) throws Exception {
        Git.init().setBare(true).setDirectory(at.toFile()).call().close();
        return at;
    }

    private static void deleteTree(Path p) throws Exception {
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
