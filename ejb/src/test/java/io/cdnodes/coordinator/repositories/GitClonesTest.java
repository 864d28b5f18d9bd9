package io.cdnodes.coordinator.repositories;

import io.cdnodes.coordinator.intake.IntakeException;
import io.cdnodes.coordinator.intake.PackageStore;
import io.cdnodes.coordinator.intake.ZipIntake;
import io.cdnodes.coordinator.fetchpolicy.AllowedHosts;
import io.cdnodes.coordinator.fetchpolicy.FetchPolicy;
import io.cdnodes.coordinator.fetchpolicy.FileRoots;
import io.cdnodes.protocol.pkg.UnzipLimits;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipFile;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Cloning real repositories made with JGit: over file:// inside and outside the admin's roots, and over
 * smart HTTP from a real git server (JGit's upload-pack), through the pinned connections, against the policy
 * (loopback, redirects, DNS answers), with the token and the byte limit.
 */
class GitClonesTest {

    private static final String TOKEN = "glpat-secretSecret12345";
    private static final long LIMIT = 10L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void clonesTheLatestCommitOnlyAndItsPackageLeavesGitOut() throws Exception {
        Path origin = repository(dir.resolve("origin"));
        Path clone = clones(roots(dir)).clone(RepositoryUrl.parse(origin.toUri().toString()), AccessToken.NONE,
                dir.resolve("clone"), Duration.ofSeconds(60));

        assertCloned(clone);
        PackageStore store = new PackageStore(dir.resolve("packages"));
        ZipIntake.Accepted a = new ZipIntake(store, UnzipLimits.defaults()).acceptFolder(clone, "origin", false);
        try (ZipFile zip = new ZipFile(store.path(a.packageId()).toFile())) {
            List<String> names = zip.stream().map(java.util.zip.ZipEntry::getName).toList();
            assertThat(names).containsExactly("calc.py", "tests/test_calc.py");
        }
    }

    @Test
    void aFileUrlOutsideTheRootsIsRefusedAndSoIsEveryFileUrlWithoutRoots() throws Exception {
        Path origin = repository(dir.resolve("outside/origin"));
        Files.createDirectories(dir.resolve("roots"));
        for (FetchPolicy policy : List.of(roots(dir.resolve("roots")), policy("", null))) {
            assertThatThrownBy(() -> clones(policy).clone(RepositoryUrl.parse(origin.toUri().toString()),
                    AccessToken.NONE, dir.resolve("clone"), Duration.ofSeconds(30)))
                    .isInstanceOf(FetchFailure.class).hasMessage(FetchFailure.REFUSED);
        }
        assertThat(dir.resolve("clone")).doesNotExist();
    }

    @Test
    void aMissingPathOrALinkOutOfTheRootIsRefusedAlikeButAFolderInsideThatIsNoRepositorySaysSo() throws Exception {
        Path root = Files.createDirectories(dir.resolve("roots"));
        Path outside = repository(dir.resolve("outside/origin"));
        Files.createSymbolicLink(root.resolve("link"), outside);
        Path plain = Files.createDirectories(root.resolve("plain"));
        Files.writeString(plain.resolve("test_x.py"), "def test_x(): pass\n");
        GitClones clones = clones(roots(root));

        for (Path p : List.of(root.resolve("nothing-here"), root.resolve("link"), root.resolve("link/../../outside/origin"))) {
            assertThatThrownBy(() -> clones.clone(RepositoryUrl.parse(p.toUri().toString()), AccessToken.NONE,
                    dir.resolve("clone"), Duration.ofSeconds(30)))
                    .as(p.toString()).isInstanceOf(FetchFailure.class).hasMessage(FetchFailure.REFUSED);
        }
        assertThatThrownBy(() -> clones.clone(RepositoryUrl.parse(plain.toUri().toString()), AccessToken.NONE,
                dir.resolve("clone"), Duration.ofSeconds(30)))
                .isInstanceOf(FetchFailure.class).hasMessageContaining("is not a git repository");
    }

    @Test
    void overHttpAListedServerIsClonedThroughThePinnedConnections() throws Exception {
        try (Git origin = Git.open(repository(dir.resolve("origin")).toFile());
             GitHttpServer server = new GitHttpServer("127.0.0.1").serve("calc", origin.getRepository())) {
            Path clone = clones(policy("127.0.0.1:" + server.port(), null)).clone(RepositoryUrl.parse(server.url("calc")),
                    AccessToken.NONE, dir.resolve("clone"), Duration.ofSeconds(60));

            assertCloned(clone);
            // protocol v2: the refs, then the fetch
            assertThat(server.requests).containsExactly("/calc.git/info/refs -", "/calc.git/git-upload-pack -",
                    "/calc.git/git-upload-pack -");
        }
    }

    @Test
    void theCloneConnectsToTheAddressesThePolicyCheckedAndLooksTheNameUpNowhereElse() throws Exception {
        String name = "git.cdnodes.test";
        assertThatThrownBy(() -> InetAddress.getAllByName(name)).as("the system cannot resolve it")
                .isInstanceOf(UnknownHostException.class);
        List<String> lookups = new CopyOnWriteArrayList<>();
        try (Git origin = Git.open(repository(dir.resolve("origin")).toFile());
             GitHttpServer server = new GitHttpServer("127.0.0.1").serve("calc", origin.getRepository())) {
            FetchPolicy policy = new FetchPolicy(AllowedHosts.parse(name + ":" + server.port()), FileRoots.NONE, h -> {
                lookups.add(h);
                return new InetAddress[]{InetAddress.getByName("127.0.0.1")};
            });
            Path clone = clones(policy).clone(RepositoryUrl.parse("http://" + name + ":" + server.port() + "/calc.git"),
                    AccessToken.NONE, dir.resolve("clone"), Duration.ofSeconds(60));

            assertCloned(clone);
            // once before the clone, once for each of its three requests
            assertThat(lookups).containsExactly(name, name, name, name);
        }
    }

    @Test
    void loopbackHostsThatAreNotListedAreRefusedAndNeverConnected() throws Exception {
        try (Listener v4 = new Listener("127.0.0.1"); Listener other = new Listener("127.0.0.2");
             Listener v6 = new Listener("::1")) {
            List<String> urls = List.of("http://127.0.0.2:" + other.port() + "/x.git",
                    "http://localhost:" + v4.port() + "/x.git", "https://localhost:" + v4.port() + "/x.git",
                    "http://[::1]:" + v6.port() + "/x.git", "http://[::ffff:127.0.0.1]:" + v4.port() + "/x.git",
                    "http://0.0.0.0:" + v4.port() + "/x.git", "http://127.0.0.1:" + v4.port() + "/x.git",
                    "ssh://git@127.0.0.1:" + v4.port() + "/x.git", "git@localhost:x.git");
            // listed: another port of the same address only
            GitClones clones = clones(policy("127.0.0.1:1", null));
            for (String url : urls) {
                assertThatThrownBy(() -> clones.clone(RepositoryUrl.parse(url), AccessToken.of(TOKEN), dir.resolve("clone"),
                        Duration.ofSeconds(30)))
                        .as(url).isInstanceOf(FetchFailure.class).hasMessage(FetchFailure.REFUSED);
            }
            assertThat(v4.accepted() + other.accepted() + v6.accepted()).isZero();
        }
    }

    @Test
    void aRedirectToAHostThatIsNotListedIsRefusedBeforeItIsConnected() throws Exception {
        try (Listener elsewhere = new Listener("127.0.0.2");
             GitHttpServer server = new GitHttpServer("127.0.0.1")
                     .redirect("calc", "http://127.0.0.2:" + elsewhere.port() + "/calc.git")) {
            assertThatThrownBy(() -> clones(policy("127.0.0.1:" + server.port(), null)).clone(
                    RepositoryUrl.parse(server.url("calc")), AccessToken.of(TOKEN), dir.resolve("clone"), Duration.ofSeconds(30)))
                    .isInstanceOf(FetchFailure.class).hasMessage(FetchFailure.REFUSED)
                    .satisfies(e -> assertThat(((FetchFailure) e).detail()).contains("127.0.0.2", "loopback"));
            assertThat(server.requests).containsExactly("/calc.git/info/refs -");
            assertThat(elsewhere.accepted()).isZero();
        }
    }

    @Test
    void overHttpTheTokenIsOfferedAsXAccessTokenToAListedHostAndARefusalSaysSo() throws Exception {
        List<String> auth = new CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer server = refusing(auth);
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        GitClones clones = clones(policy("127.0.0.1:" + server.getAddress().getPort(), null));
        try {
            assertThatThrownBy(() -> clones.clone(RepositoryUrl.parse(base + "/team/r.git"), AccessToken.of(TOKEN),
                    dir.resolve("c1"), Duration.ofSeconds(30)))
                    .isInstanceOf(FetchFailure.class).hasMessage("the token was refused by 127.0.0.1 for " + base + "/team/r.git");
            assertThat(auth).contains("Basic " + Base64.getEncoder().encodeToString(
                    ("x-access-token:" + TOKEN).getBytes(StandardCharsets.UTF_8)));
            assertThatThrownBy(() -> clones.clone(RepositoryUrl.parse(base + "/team/r.git"), AccessToken.NONE,
                    dir.resolve("c2"), Duration.ofSeconds(30)))
                    .isInstanceOf(FetchFailure.class).hasMessageContaining("asks for credentials");
            assertThatThrownBy(() -> clones.clone(RepositoryUrl.parse(base + "/missing/r.git"), AccessToken.of(TOKEN),
                    dir.resolve("c3"), Duration.ofSeconds(30)))
                    .isInstanceOf(FetchFailure.class)
                    .hasMessage("repository " + base + "/missing/r.git not found or not visible with this token");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theTokenIsNotGivenToTheHostARedirectLeadsTo() throws Exception {
        List<String> auth = new CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer elsewhere = refusing(auth);
        try (GitHttpServer server = new GitHttpServer("127.0.0.1")
                .redirect("calc", "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/calc.git")) {
            assertThatThrownBy(() -> clones(policy("127.0.0.1", null)).clone(RepositoryUrl.parse(server.url("calc")),
                    AccessToken.of(TOKEN), dir.resolve("clone"), Duration.ofSeconds(30)))
                    .isInstanceOf(FetchFailure.class).hasMessageContaining("refused");
            assertThat(auth).isNotEmpty().allMatch("null"::equals);
            assertThat(server.requests).allMatch(r -> r.endsWith(" -"));
        } finally {
            elsewhere.stop(0);
        }
    }

    @Test
    void theTokenIsNotSentOnWhenARedirectChangesOnlyThePort() throws Exception {
        try (Git origin = Git.open(repository(dir.resolve("origin")).toFile());
             GitHttpServer elsewhere = new GitHttpServer("127.0.0.1").serve("calc", origin.getRepository());
             GitHttpServer server = new GitHttpServer("127.0.0.1").askingForCredentials()
                     .redirect("calc", elsewhere.url("calc"))) {
            // JGit answers the 401 with the token, then follows the redirect to the same host keeping its credentials
            Path clone = clones(policy("127.0.0.1", null)).clone(RepositoryUrl.parse(server.url("calc")),
                    AccessToken.of(TOKEN), dir.resolve("clone"), Duration.ofSeconds(60));

            assertCloned(clone);
            assertThat(server.requests).containsExactly("/calc.git/info/refs -", "/calc.git/info/refs Basic "
                    + Base64.getEncoder().encodeToString(("x-access-token:" + TOKEN).getBytes(StandardCharsets.UTF_8)));
            assertThat(elsewhere.requests).isNotEmpty().allMatch(r -> r.endsWith(" -"));
        }
    }

    @Test
    void aCloneStopsAsSoonAsItHasReceivedMoreThanItsLimit() throws Exception {
        Path big = repository(dir.resolve("origin"));
        byte[] noise = new byte[400_000];
        new java.util.Random(7).nextBytes(noise); // does not compress
        Files.write(big.resolve("noise.bin"), noise);
        try (Git origin = Git.open(big.toFile())) {
            origin.add().addFilepattern("noise.bin").call();
            PersonIdent me = new PersonIdent("CD Nodes", "tests@cdnodes.invalid");
            origin.commit().setMessage("noise").setAuthor(me).setCommitter(me).setSign(false).call();
            try (GitHttpServer server = new GitHttpServer("127.0.0.1").serve("big", origin.getRepository())) {
                GitClones small = new GitClones(policy("127.0.0.1:" + server.port(), null), 100_000, UnzipLimits.defaults());
                assertThatThrownBy(() -> small.clone(RepositoryUrl.parse(server.url("big")), AccessToken.NONE,
                        dir.resolve("clone"), Duration.ofSeconds(60)))
                        .isInstanceOf(FetchFailure.class)
                        .hasMessage("cloning " + server.url("big") + " received more than 100000 bytes (CDNODES_MAX_UPLOAD_MB)");
                assertThat(dir.resolve("clone/noise.bin")).doesNotExist();

                new GitClones(policy("127.0.0.1:" + server.port(), null), 1024 * 1024, UnzipLimits.defaults()).clone(
                        RepositoryUrl.parse(server.url("big")), AccessToken.NONE, dir.resolve("clone2"), Duration.ofSeconds(60));
                assertThat(dir.resolve("clone2/noise.bin")).hasBinaryContent(noise);
            }
        }
    }

    @Test
    void aTreeThatWouldCheckOutMoreThanTheLimitsAllowIsRefusedBeforeAFileIsWritten() throws Exception {
        Path bomb = bomb(dir.resolve("roots/bomb"), 200, 1024 * 1024);
        FetchPolicy policy = roots(dir.resolve("roots"));

        assertThatThrownBy(() -> new GitClones(policy, LIMIT, new UnzipLimits(50_000, 256L << 20, 50L << 20, 200))
                .clone(RepositoryUrl.parse(bomb.toUri().toString()), AccessToken.NONE, dir.resolve("c1"), Duration.ofSeconds(60)))
                .isInstanceOf(IntakeException.class).hasMessageContaining("add up to more than 52428800 bytes");
        assertThatThrownBy(() -> new GitClones(policy, LIMIT, new UnzipLimits(100, 256L << 20, 1L << 30, 200))
                .clone(RepositoryUrl.parse(bomb.toUri().toString()), AccessToken.NONE, dir.resolve("c2"), Duration.ofSeconds(60)))
                .isInstanceOf(IntakeException.class).hasMessageContaining("more than 100 files");
        assertThatThrownBy(() -> new GitClones(policy, LIMIT, new UnzipLimits(50_000, 1000, 1L << 30, 200))
                .clone(RepositoryUrl.parse(bomb.toUri().toString()), AccessToken.NONE, dir.resolve("c3"), Duration.ofSeconds(60)))
                .isInstanceOf(IntakeException.class).hasMessageContaining("is larger than 1000 bytes");
        for (String c : List.of("c1", "c2", "c3")) {
            try (var files = Files.list(dir.resolve(c))) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly(".git");
            }
        }

        Path clone = new GitClones(policy, LIMIT, new UnzipLimits(50_000, 256L << 20, 1L << 30, 200))
                .clone(RepositoryUrl.parse(bomb.toUri().toString()), AccessToken.NONE, dir.resolve("c4"), Duration.ofSeconds(60));
        assertThat(clone.resolve("f199.bin")).hasSize(1024 * 1024);
    }

    @Test
    void anUnreachableListedServerSaysSoWithoutShowingTheToken() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> clones(policy("127.0.0.1", null)).clone(RepositoryUrl.parse("http://127.0.0.1:" + port + "/g/r.git"),
                AccessToken.of(TOKEN), dir.resolve("clone"), Duration.ofSeconds(30)))
                .isInstanceOf(FetchFailure.class).hasMessageContaining("cannot connect to 127.0.0.1")
                .message().doesNotContain(TOKEN);
    }

    @Test
    void aFailureFromAHostThatIsNotListedIsToldWithTheFixedReasonAndItsDetailKeptForTheLog() {
        GitClones clones = clones(policy("", null));
        RepositoryUrl repo = RepositoryUrl.parse("https://git.example.com/team/r.git");
        TransportException notAuthorized = new TransportException(repo.url() + ": not authorized");
        FetchFailure notListed = clones.explain(notAuthorized, repo, AccessToken.of(TOKEN), false, false, Duration.ofSeconds(9));
        assertThat(notListed).hasMessage(FetchFailure.FAILED);
        assertThat(notListed.detail()).isEqualTo("the token was refused by git.example.com for " + repo.url());
        assertThat(clones.explain(notAuthorized, repo, AccessToken.of(TOKEN), true, false, Duration.ofSeconds(9)))
                .hasMessage("the token was refused by git.example.com for " + repo.url());
        assertThat(clones.explain(notAuthorized, repo, AccessToken.of(TOKEN), false, true, Duration.ofSeconds(9)))
                .hasMessageContaining("took longer than 9 s");
    }

    @Test
    void sshIsCheckedByThePolicyAndThenNeedsATransportThisCoordinatorDoesNotHave() {
        FetchPolicy publicDns = new FetchPolicy(AllowedHosts.NONE, FileRoots.NONE,
                h -> new InetAddress[]{InetAddress.getByName("93.184.215.14")});
        assertThatThrownBy(() -> clones(publicDns).clone(RepositoryUrl.parse("git@example.com:o/r.git"), AccessToken.NONE,
                dir.resolve("clone"), Duration.ofSeconds(30)))
                .isInstanceOf(FetchFailure.class).hasMessageContaining("ssh is not available");
        FetchPolicy noDns = new FetchPolicy(AllowedHosts.NONE, FileRoots.NONE, h -> {
            throw new UnknownHostException(h);
        });
        assertThatThrownBy(() -> clones(noDns).clone(RepositoryUrl.parse("git@intranet.invalid:o/r.git"),
                AccessToken.NONE, dir.resolve("clone"), Duration.ofSeconds(30)))
                .isInstanceOf(FetchFailure.class).hasMessage(FetchFailure.REFUSED);
    }

    private static void assertCloned(Path clone) throws Exception {
        assertThat(Files.readString(clone.resolve("tests/test_calc.py"))).contains("== 3");
        assertThat(clone.resolve(".git")).isDirectory();
        try (Git git = Git.open(clone.toFile())) {
            List<String> log = new ArrayList<>();
            git.log().call().forEach(c -> log.add(c.getShortMessage()));
            assertThat(log).as("depth 1").hasSize(1);
        }
    }

    /** A server that asks for credentials everywhere but under /missing/, noting the Authorization it gets. */
    private static com.sun.net.httpserver.HttpServer refusing(List<String> auth) throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
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
        return server;
    }

    private static GitClones clones(FetchPolicy policy) {
        return new GitClones(policy, LIMIT, UnzipLimits.defaults());
    }

    private static FetchPolicy roots(Path root) {
        return policy("", root);
    }

    private static FetchPolicy policy(String hosts, Path root) {
        return new FetchPolicy(AllowedHosts.parse(hosts), root == null ? FileRoots.NONE : FileRoots.parse(root.toString()),
                FetchPolicy.Resolver.SYSTEM);
    }

    /** A repository whose one commit names the same blob of zeros (a few KiB packed) in many paths. */
    private static Path bomb(Path at, int paths, int blobBytes) throws Exception {
        try (Git git = Git.init().setDirectory(at.toFile()).setInitialBranch("main").call();
             org.eclipse.jgit.lib.ObjectInserter ins = git.getRepository().newObjectInserter()) {
            org.eclipse.jgit.lib.ObjectId blob = ins.insert(org.eclipse.jgit.lib.Constants.OBJ_BLOB, new byte[blobBytes]);
            org.eclipse.jgit.lib.TreeFormatter tree = new org.eclipse.jgit.lib.TreeFormatter();
            java.util.TreeSet<String> names = new java.util.TreeSet<>();
            for (int i = 0; i < paths; i++) {
                names.add("f" + i + ".bin");
            }
            names.forEach(n -> tree.append(n, org.eclipse.jgit.lib.FileMode.REGULAR_FILE, blob));
            org.eclipse.jgit.lib.CommitBuilder commit = new org.eclipse.jgit.lib.CommitBuilder();
            PersonIdent me = new PersonIdent("CD Nodes", "tests@cdnodes.invalid");
            commit.setTreeId(ins.insert(tree));
            commit.setAuthor(me);
            commit.setCommitter(me);
            commit.setMessage("bomb");
            org.eclipse.jgit.lib.ObjectId id = ins.insert(commit);
            ins.flush();
            org.eclipse.jgit.lib.RefUpdate ru = git.getRepository().updateRef("refs/heads/main");
            ru.setNewObjectId(id);
            ru.update();
        }
        return at;
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
