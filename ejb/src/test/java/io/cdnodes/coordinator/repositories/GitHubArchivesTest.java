package io.cdnodes.coordinator.repositories;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cdnodes.coordinator.fetchpolicy.AllowedHosts;
import io.cdnodes.coordinator.fetchpolicy.FetchPolicy;
import io.cdnodes.coordinator.fetchpolicy.FileRoots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The GitHub download against a local server that plays the API (and, on another port, the download host
 * GitHub redirects to): headers, redirects, where the token goes and where it must not, and every refusal.
 */
class GitHubArchivesTest {

    private static final String TOKEN = "ghp_unitTestToken0123456789";

    @TempDir
    Path dir;

    private HttpServer api;
    private HttpServer codeload;
    /** Authorization header (or "-") of every request, by server and path. */
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final Map<String, String> headers = new ConcurrentHashMap<>();
    private byte[] zipball;

    @BeforeEach
    void start() throws IOException {
        zipball = zipball("octo-hello-0a1b2c3/", Map.of("tests/test_hello.py", "def test_hi():\n    assert True\n",
                "README.md", "# hello\n"));
        codeload = server();
        codeload.createContext("/", ex -> {
            record("codeload", ex);
            send(ex, 200, zipball);
        });
        codeload.start();
        api = server();
        api.createContext("/", ex -> {
            record("api", ex);
            String path = ex.getRequestURI().getPath();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (path.startsWith("/repos/octo/locked/") && !("Bearer " + TOKEN).equals(auth)) {
                send(ex, 401, "{\"message\": \"Bad credentials\"}".getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/repos/octo/hello/zipball")) {
                ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + codeload.getAddress().getPort()
                        + "/octo/hello/legacy.zip/refs/heads/main");
                send(ex, 302, new byte[0]);
            } else if (path.equals("/repos/octo/locked/zipball") || path.equals("/repos/octo/hello/zipball/v1.0")) {
                ex.getResponseHeaders().add("Location", "/download/same-origin.zip");
                send(ex, 302, new byte[0]);
            } else if (path.equals("/download/same-origin.zip")) {
                send(ex, 200, zipball);
            } else if (path.equals("/repos/octo/loop/zipball")) {
                ex.getResponseHeaders().add("Location", "/repos/octo/loop/zipball");
                send(ex, 302, new byte[0]);
            } else if (path.equals("/repos/octo/limited/zipball")) {
                ex.getResponseHeaders().add("x-ratelimit-remaining", "0");
                send(ex, 403, new byte[0]);
            } else if (path.equals("/repos/octo/forbidden/zipball")) {
                send(ex, 403, new byte[0]);
            } else if (path.equals("/repos/octo/huge/zipball")) {
                send(ex, 200, new byte[300_000]);
            } else if (path.equals("/repos/octo/slow/zipball")) {
                ex.sendResponseHeaders(200, 0);
                sleep(3000);
                ex.close();
            } else {
                send(ex, 404, "{\"message\": \"Not Found\"}".getBytes(StandardCharsets.UTF_8));
            }
        });
        api.start();
    }

    @AfterEach
    void stop() {
        api.stop(0);
        codeload.stop(0);
    }

    @Test
    void followsTheRedirectToTheDownloadHostWithoutTheToken() throws Exception {
        Path zip = archives(100_000).download(RepositoryUrl.parse("https://github.com/octo/hello"),
                AccessToken.of(TOKEN), dir.resolve("r.zip"), Duration.ofSeconds(10));

        assertThat(Files.readAllBytes(zip)).isEqualTo(zipball);
        assertThat(seen).containsExactly("api /repos/octo/hello/zipball Bearer " + TOKEN,
                "codeload /octo/hello/legacy.zip/refs/heads/main -");
        assertThat(headers.get("api accept")).isEqualTo("application/vnd.github+json");
        assertThat(headers.get("api x-github-api-version")).isEqualTo("2022-11-28");
    }

    @Test
    void aRedirectWithinTheApiOriginKeepsTheTokenAndARefIsPartOfThePath() throws Exception {
        archives(100_000).download(RepositoryUrl.parse("https://github.com/octo/locked"), AccessToken.of(TOKEN),
                dir.resolve("r.zip"), Duration.ofSeconds(10));
        archives(100_000).download(RepositoryUrl.parse("https://github.com/octo/hello/tree/v1.0"), AccessToken.NONE,
                dir.resolve("s.zip"), Duration.ofSeconds(10));

        assertThat(seen).containsExactly("api /repos/octo/locked/zipball Bearer " + TOKEN,
                "api /download/same-origin.zip Bearer " + TOKEN,
                "api /repos/octo/hello/zipball/v1.0 -", "api /download/same-origin.zip -");
    }

    @Test
    void withoutATokenNoAuthorizationHeaderIsSent() throws Exception {
        archives(100_000).download(RepositoryUrl.parse("http://github.com/octo/hello.git"), AccessToken.NONE,
                dir.resolve("r.zip"), Duration.ofSeconds(10));

        assertThat(seen).allMatch(s -> s.endsWith(" -"));
    }

    @Test
    void eachRefusalSaysWhatWasWrongAndNeverShowsTheToken() {
        AccessToken bad = AccessToken.of("ghp_wrongToken9876543210");
        assertThat(failure("octo/locked", bad)).isEqualTo("the token was refused by GitHub (HTTP 401)");
        assertThat(failure("octo/locked", AccessToken.NONE)).contains("asks for a token").contains("401");
        assertThat(failure("octo/missing", bad))
                .isEqualTo("repository octo/missing not found or not visible with this token");
        assertThat(failure("octo/missing", AccessToken.NONE)).contains("not found").contains("no auth_token");
        assertThat(failure("octo/forbidden", bad)).contains("token was refused by GitHub").contains("403");
        assertThat(failure("octo/limited", bad)).contains("rate limit");
        assertThat(failure("octo/loop", bad)).contains("redirected").contains("more than 5 times");
        assertThat(failure("octo/huge", bad)).contains("larger than").contains("CDNODES_MAX_UPLOAD_MB");
        assertThat(seen).contains("api /repos/octo/locked/zipball Bearer ghp_wrongToken9876543210");
    }

    @Test
    void aStalledDownloadEndsAtTheTimeout() {
        assertThatThrownBy(() -> archives(100_000).download(RepositoryUrl.parse("https://github.com/octo/slow"),
                AccessToken.NONE, dir.resolve("r.zip"), Duration.ofMillis(700)))
                .isInstanceOf(FetchFailure.class).hasMessageContaining("took longer than");
    }

    @Test
    void anUnreachableApiIsAFailureNamingIt() throws Exception {
        URI nowhere;
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            nowhere = URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        GitHubArchives a = new GitHubArchives(nowhere, 1000, Duration.ofSeconds(2), new FetchPolicy(
                AllowedHosts.parse("127.0.0.1"), FileRoots.NONE, FetchPolicy.Resolver.SYSTEM));
        assertThatThrownBy(() -> a.download(RepositoryUrl.parse("https://github.com/o/r"), AccessToken.of(TOKEN),
                dir.resolve("r.zip"), Duration.ofSeconds(5)))
                .isInstanceOf(FetchFailure.class).hasMessageContaining("cannot connect to " + nowhere)
                .message().doesNotContain(TOKEN);
    }

    @Test
    void anApiThatIsNotListedOnALoopbackAddressIsRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> archives(100_000, listing(codeload)).download(RepositoryUrl.parse(
                "https://github.com/octo/hello"), AccessToken.of(TOKEN), dir.resolve("r.zip"), Duration.ofSeconds(10)))
                .isInstanceOf(FetchFailure.class).hasMessage(FetchFailure.REFUSED)
                .satisfies(e -> assertThat(((FetchFailure) e).detail()).contains("127.0.0.1", "loopback"));
        assertThat(seen).isEmpty();
    }

    @Test
    void aRedirectToAHostThatIsNotListedIsRefusedBeforeItIsRequested() {
        assertThatThrownBy(() -> archives(100_000, listing(api)).download(RepositoryUrl.parse(
                "https://github.com/octo/hello"), AccessToken.of(TOKEN), dir.resolve("r.zip"), Duration.ofSeconds(10)))
                .isInstanceOf(FetchFailure.class).hasMessage(FetchFailure.REFUSED)
                .satisfies(e -> assertThat(((FetchFailure) e).detail())
                        .contains("port " + codeload.getAddress().getPort(), "loopback"));
        assertThat(seen).containsExactly("api /repos/octo/hello/zipball Bearer " + TOKEN);
    }

    @Test
    void aRedirectToAnotherLoopbackAddressIsRefusedEvenWhenTheApiIsListed() throws Exception {
        HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 0);
        other.createContext("/", ex -> {
            record("other", ex);
            send(ex, 200, zipball);
        });
        other.start();
        try {
            api.createContext("/repos/octo/elsewhere/zipball", ex -> {
                record("api", ex);
                ex.getResponseHeaders().add("Location", "http://127.0.0.2:" + other.getAddress().getPort() + "/z.zip");
                send(ex, 302, new byte[0]);
            });
            FetchPolicy policy = new FetchPolicy(AllowedHosts.parse("127.0.0.1"), FileRoots.NONE, FetchPolicy.Resolver.SYSTEM);
            assertThatThrownBy(() -> archives(100_000, policy).download(RepositoryUrl.parse("https://github.com/octo/elsewhere"),
                    AccessToken.NONE, dir.resolve("r.zip"), Duration.ofSeconds(10)))
                    .isInstanceOf(FetchFailure.class).hasMessage(FetchFailure.REFUSED);
            assertThat(seen).containsExactly("api /repos/octo/elsewhere/zipball -");
        } finally {
            other.stop(0);
        }
    }

    @Test
    void anApiOverPlainHttpThatIsNotListedIsSentNoToken() throws Exception {
        // a resolver standing in for public DNS: the policy lets every host through, but lists none
        FetchPolicy publicDns = new FetchPolicy(AllowedHosts.NONE, FileRoots.NONE,
                h -> new InetAddress[]{InetAddress.getByName("140.82.112.3")});
        archives(100_000, publicDns).download(RepositoryUrl.parse("https://github.com/octo/hello"), AccessToken.of(TOKEN),
                dir.resolve("r.zip"), Duration.ofSeconds(10));

        assertThat(seen).containsExactly("api /repos/octo/hello/zipball -", "codeload /octo/hello/legacy.zip/refs/heads/main -");
    }

    @Test
    void aDownloadHostThatIsNotListedFailsWithTheFixedReasonAndTheApiWithItsOwn() throws Exception {
        codeload.removeContext("/");
        codeload.createContext("/", ex -> {
            record("codeload", ex);
            send(ex, 500, new byte[0]);
        });
        FetchPolicy publicDns = new FetchPolicy(AllowedHosts.NONE, FileRoots.NONE,
                h -> new InetAddress[]{InetAddress.getByName("140.82.112.3")});
        assertThatThrownBy(() -> archives(100_000, publicDns).download(RepositoryUrl.parse("https://github.com/octo/hello"),
                AccessToken.NONE, dir.resolve("r.zip"), Duration.ofSeconds(10)))
                .isInstanceOf(FetchFailure.class).hasMessage(FetchFailure.FAILED)
                .satisfies(e -> assertThat(((FetchFailure) e).detail()).contains("HTTP 500"));
        assertThatThrownBy(() -> archives(100_000).download(RepositoryUrl.parse("https://github.com/octo/hello"),
                AccessToken.NONE, dir.resolve("r.zip"), Duration.ofSeconds(10)))
                .isInstanceOf(FetchFailure.class).hasMessage("GitHub answered HTTP 500 for octo/hello");
        assertThatThrownBy(() -> archives(100_000, publicDns).download(RepositoryUrl.parse("https://github.com/octo/missing"),
                AccessToken.NONE, dir.resolve("r.zip"), Duration.ofSeconds(10)))
                .isInstanceOf(FetchFailure.class).hasMessageContaining("repository octo/missing not found");
    }

    private String failure(String slug, AccessToken token) {
        try {
            archives(200_000).download(RepositoryUrl.parse("https://github.com/" + slug), token, dir.resolve("f.zip"),
                    Duration.ofSeconds(10));
        } catch (FetchFailure e) {
            assertThat(e.getMessage()).doesNotContain(TOKEN).doesNotContain("wrongToken");
            return e.getMessage();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError(slug + " was downloaded");
    }

    private GitHubArchives archives(long maxBytes) {
        return archives(maxBytes, listing(api, codeload));
    }

    private GitHubArchives archives(long maxBytes, FetchPolicy policy) {
        return new GitHubArchives(URI.create("http://127.0.0.1:" + api.getAddress().getPort()), maxBytes,
                Duration.ofSeconds(2), policy);
    }

    /** A policy that lists these servers' 127.0.0.1 ports and nothing else. */
    private static FetchPolicy listing(HttpServer... servers) {
        StringBuilder hosts = new StringBuilder();
        for (HttpServer server : servers) {
            hosts.append("127.0.0.1:").append(server.getAddress().getPort()).append(' ');
        }
        return new FetchPolicy(AllowedHosts.parse(hosts.toString()), FileRoots.NONE, FetchPolicy.Resolver.SYSTEM);
    }

    private void record(String server, HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        seen.add(server + " " + ex.getRequestURI().getPath() + " " + (auth == null ? "-" : auth));
        ex.getRequestHeaders().forEach((k, v) -> headers.put(server + " " + k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
    }

    private static HttpServer server() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        return s;
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        }
        ex.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A zipball as GitHub makes it: one top folder holding the repository's files. */
    static byte[] zipball(String top, Map<String, String> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(top));
            zip.closeEntry();
            for (Map.Entry<String, String> f : new java.util.TreeMap<>(files).entrySet()) {
                zip.putNextEntry(new ZipEntry(top + f.getKey()));
                zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        try (ZipInputStream check = new ZipInputStream(new java.io.ByteArrayInputStream(out.toByteArray()))) {
            assertThat(check.getNextEntry().getName()).isEqualTo(top);
        }
        return out.toByteArray();
    }
}
