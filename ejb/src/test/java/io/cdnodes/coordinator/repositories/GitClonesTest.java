package io.cdnodes.coordinator.repositories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.coordinator.intake.PackageStore;
import io.cdnodes.coordinator.intake.ZipIntake;
import io.cdnodes.protocol.pkg.UnzipLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cloning real repositories made with JGit in a temporary folder, over file:// URLs. */
class GitClonesTest {

    @TempDir
    Path dir;

    @Test
    void clonesTheLatestCommitOnlyAndItsPackageLeavesGitOut() throws Exception {
        Path origin = repository(dir.resolve("origin"));
        Path clone = new GitClones().clone(RepositoryUrl.parse(origin.toUri().toString()), AccessToken.NONE,
                dir.resolve("clone"), Duration.ofSeconds(60));

        assertThat(Files.readString(clone.resolve("tests/test_calc.py"))).contains("== 3");
        assertThat(clone.resolve(".git")).isDirectory();
        try (Git git = Git.open(clone.toFile())) {
            List<String> log = new ArrayList<>();
            git.log().call().forEach(c -> log.add(c.getShortMessage()));
            assertThat(log).as("depth 1").containsExactly("second");
        }

        PackageStore store = new PackageStore(dir.resolve("packages"));
        ZipIntake.Accepted a = new ZipIntake(store, UnzipLimits.defaults()).acceptFolder(clone, "origin", RunOptions.none());
        try (ZipFile zip = new ZipFile(store.path(a.packageId()).toFile())) {
            List<String> names = zip.stream().map(java.util.zip.ZipEntry::getName).toList();
            assertThat(names).containsExactly("calc.py", "tests/test_calc.py");
        }
    }

    @Test
    void aPathWithoutARepositoryIsNotFound() {
        Path none = dir.resolve("nothing-here");
        assertThatThrownBy(() -> new GitClones().clone(RepositoryUrl.parse(none.toUri().toString()), AccessToken.NONE,
                dir.resolve("clone"), Duration.ofSeconds(30)))
                .isInstanceOf(FetchFailure.class).hasMessage("repository " + none.toUri() + " not found");
    }

    @Test
    void aFolderThatIsNotARepositoryIsRefused() throws Exception {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        Files.writeString(plain.resolve("test_x.py"), "def test_x(): pass\n");
        assertThatThrownBy(() -> new GitClones().clone(RepositoryUrl.parse(plain.toUri().toString()), AccessToken.NONE,
                dir.resolve("clone"), Duration.ofSeconds(30)))
                .isInstanceOf(FetchFailure.class).hasMessageContaining("is not a git repository");
    }

    @Test
    void anUnreachableHttpServerFailsWithoutShowingTheToken() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        String token = "glpat-secretSecret12345";
        assertThatThrownBy(() -> new GitClones().clone(RepositoryUrl.parse("http://127.0.0.1:" + port + "/g/r.git"),
                AccessToken.of(token), dir.resolve("clone"), Duration.ofSeconds(30)))
                .isInstanceOf(FetchFailure.class).hasMessageContaining("cannot connect to 127.0.0.1")
                .message().doesNotContain(token);
    }

    @Test
    void overHttpTheTokenIsOfferedAsXAccessTokenAndARefusalSaysSo() throws Exception {
        String token = "glpat-secretSecret12345";
        List<String> auth = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", ex -> {
            auth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            if (ex.getRequestURI().getPath().startsWith("/missing/")) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                ex.sendResponseHeaders(401, -1);
            }
            ex.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            assertThatThrownBy(() -> new GitClones().clone(RepositoryUrl.parse(base + "/team/r.git"), AccessToken.of(token),
                    dir.resolve("c1"), Duration.ofSeconds(30)))
                    .isInstanceOf(FetchFailure.class).hasMessage("the token was refused by 127.0.0.1 for " + base + "/team/r.git");
            assertThat(auth).contains("Basic " + java.util.Base64.getEncoder().encodeToString(
                    ("x-access-token:" + token).getBytes(StandardCharsets.UTF_8)));
            assertThatThrownBy(() -> new GitClones().clone(RepositoryUrl.parse(base + "/team/r.git"), AccessToken.NONE,
                    dir.resolve("c2"), Duration.ofSeconds(30)))
                    .isInstanceOf(FetchFailure.class).hasMessageContaining("asks for credentials");
            assertThatThrownBy(() -> new GitClones().clone(RepositoryUrl.parse(base + "/missing/r.git"), AccessToken.of(token),
                    dir.resolve("c3"), Duration.ofSeconds(30)))
                    .isInstanceOf(FetchFailure.class)
                    .hasMessage("repository " + base + "/missing/r.git not found or not visible with this token");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void sshNeedsATransportThisCoordinatorDoesNotHave() {
        assertThatThrownBy(() -> new GitClones().clone(RepositoryUrl.parse("git@example.com:o/r.git"), AccessToken.NONE,
                dir.resolve("clone"), Duration.ofSeconds(30)))
                .isInstanceOf(FetchFailure.class).hasMessageContaining("ssh is not available");
    }

    /** A repository with two commits; the second changes the test. */
    static Path repository(Path at) throws Exception {
        Files.createDirectories(at.resolve("tests"));
        PersonIdent me = new PersonIdent("CD Nodes", "tests@cdnodes.invalid");
        try (Git git = Git.init().setDirectory(at.toFile()).setInitialBranch("main").call()) {
            Files.writeString(at.resolve("calc.py"), "def add(a, b):\n    return a + b\n", StandardCharsets.UTF_8);
            Files.writeString(at.resolve("tests/test_calc.py"), "from calc import add\n\ndef test_add():\n    assert add(1, 1) == 2\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("first").setAuthor(me).setCommitter(me).setSign(false).call();
            Files.writeString(at.resolve("tests/test_calc.py"), "from calc import add\n\ndef test_add():\n    assert add(1, 2) == 3\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("second").setAuthor(me).setCommitter(me).setSign(false).call();
        }
        return at;
    }
}
