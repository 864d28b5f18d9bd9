package io.cdnodes.e2e.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

/**
 * Plays the GitHub REST API for the coordinator ({@code CDNODES_GITHUB_API}): {@code GET /repos/{o}/{r}/zipball}
 * answers 401 to a wrong token, 404 to no token or an unknown repository, and otherwise 302 to a second server
 * on another port (playing codeload.github.com), which serves a zipball built from a fixture folder, with one
 * top folder as GitHub's have. The download server notes any Authorization header it is sent: the token must
 * never reach it. Repositories can be added while it runs, a download can be held back until released, and a
 * repository can be redirected anywhere (to see the coordinator refuse to follow). The download server also
 * serves git repositories over smart HTTP, for clones from a listed host.
 */
public final class FakeGitHub implements AutoCloseable {

    /** The one token this GitHub accepts, random per test run. */
    public static final String TOKEN = "ghp_e2e" + java.util.UUID.randomUUID().toString().replace("-", "");

    private static final Pattern ZIPBALL = Pattern.compile("/repos/([^/]+)/([^/]+)/zipball(?:/.*)?");
    private static final Pattern GIT = Pattern.compile("/git/([^/]+)\\.git/(info/refs|git-upload-pack)");

    private final HttpServer api;
    private final HttpServer codeload;
    private final Map<String, byte[]> zipballs = new ConcurrentHashMap<>();
    private final Map<String, String> redirects = new ConcurrentHashMap<>();
    private final Map<String, Path> gitRepositories = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizationsAtDownload = new CopyOnWriteArrayList<>();

    private FakeGitHub() throws IOException {
        codeload = server();
        codeload.createContext("/", this::download);
        codeload.createContext("/git/", this::git);
        api = server();
        api.createContext("/", this::zipball);
        codeload.start();
        api.start();
    }

    public static FakeGitHub start() {
        try {
            return new FakeGitHub();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The API root to give the coordinator as CDNODES_GITHUB_API. */
    public String apiUrl() {
        return "http://127.0.0.1:" + api.getAddress().getPort();
    }

    /** Its API's and its download server's host and port, for the coordinator's CDNODES_FETCH_ALLOW_HOSTS. */
    public String allowHosts() {
        return "127.0.0.1:" + api.getAddress().getPort() + ",127.0.0.1:" + codeload.getAddress().getPort();
    }

    /** Answers the zipball request of {@code owner/repo} (given the token) with a redirect to {@code location}. */
    public FakeGitHub redirect(String owner, String repo, String location) {
        redirects.put(owner + "/" + repo, location);
        return this;
    }

    /** Serves {@code owner/repo} with the files of {@code folder}. */
    public FakeGitHub serve(String owner, String repo, Path folder) {
        zipballs.put(owner + "/" + repo, Zips.of(folder, owner + "-" + repo + "-0a1b2c3/"));
        return this;
    }

    /**
     * Serves the git repository in {@code folder} over smart HTTP (JGit's upload-pack) as {@link #gitUrl}:
     * a git host on the download server's port, which the coordinator lists.
     */
    public FakeGitHub serveGit(String name, Path folder) {
        gitRepositories.put(name, folder);
        return this;
    }

    /** The clone URL of a repository given to {@link #serveGit}. */
    public String gitUrl(String name) {
        return "http://127.0.0.1:" + codeload.getAddress().getPort() + "/git/" + name + ".git";
    }

    /** Holds the download of {@code owner/repo} back until {@link #release} (at most two minutes). */
    public void hold(String owner, String repo) {
        held.put(owner + "/" + repo, new CountDownLatch(1));
    }

    public void release(String owner, String repo) {
        CountDownLatch latch = held.remove(owner + "/" + repo);
        if (latch != null) {
            latch.countDown();
        }
    }

    /** Every API request, as "path token|no token|wrong token" (never the token itself). */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** The Authorization headers the download server was sent; there must be none. */
    public List<String> authorizationsAtDownload() {
        return List.copyOf(authorizationsAtDownload);
    }

    private void zipball(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String path = ex.getRequestURI().getPath();
        requests.add(path + " " + (auth == null ? "no token" : auth.equals("Bearer " + TOKEN) ? "token" : "wrong token"));
        Matcher m = ZIPBALL.matcher(path);
        if (auth != null && !auth.equals("Bearer " + TOKEN)) {
            json(ex, 401, "{\"message\": \"Bad credentials\", \"status\": \"401\"}");
            return;
        }
        String redirect = m.matches() && auth != null ? redirects.get(m.group(1) + "/" + m.group(2)) : null;
        if (redirect != null) {
            ex.getResponseHeaders().add("Location", redirect);
            ex.sendResponseHeaders(302, -1);
            ex.close();
            return;
        }
        if (!m.matches() || auth == null || !zipballs.containsKey(m.group(1) + "/" + m.group(2))) {
            json(ex, 404, "{\"message\": \"Not Found\", \"status\": \"404\"}");
            return;
        }
        CountDownLatch latch = held.get(m.group(1) + "/" + m.group(2));
        if (latch != null) {
            try {
                latch.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + codeload.getAddress().getPort() + "/"
                + m.group(1) + "/" + m.group(2) + "/legacy.zip/refs/heads/main");
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private void download(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null) {
            authorizationsAtDownload.add(auth);
        }
        String[] parts = ex.getRequestURI().getPath().split("/");
        byte[] zip = parts.length > 2 ? zipballs.get(parts[1] + "/" + parts[2]) : null;
        if (zip == null) {
            json(ex, 404, "Not Found");
            return;
        }
        ex.getResponseHeaders().add("Content-Type", "application/zip");
        ex.sendResponseHeaders(200, zip.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(zip);
        }
    }

    /** Smart HTTP, stateless, protocol v2 when asked: {@code /git/NAME.git/info/refs} and {@code …/git-upload-pack}. */
    private void git(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        Matcher m = GIT.matcher(path);
        Path folder = m.matches() ? gitRepositories.get(m.group(1)) : null;
        if (folder == null) {
            json(ex, 404, "Not Found");
            return;
        }
        try (ex; Repository repo = Git.open(folder.toFile()).getRepository()) {
            UploadPack up = new UploadPack(repo);
            up.setBiDirectionalPipe(false);
            String protocol = ex.getRequestHeaders().getFirst("Git-Protocol");
            if (protocol != null) {
                up.setExtraParameters(List.of(protocol.split(":")));
            }
            if (m.group(2).equals("info/refs")) {
                ex.getResponseHeaders().add("Content-Type", "application/x-git-upload-pack-advertisement");
                ex.sendResponseHeaders(200, 0);
                try (OutputStream out = ex.getResponseBody()) {
                    PacketLineOut pck = new PacketLineOut(out);
                    pck.writeString("# service=git-upload-pack\n");
                    pck.end();
                    up.sendAdvertisedRefs(new RefAdvertiser.PacketLineOutRefAdvertiser(pck));
                }
                return;
            }
            // read whole (and unzipped) first: the JDK server's body stream skips past its end when asked to skip
            boolean gzip = "gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"));
            byte[] request;
            try (InputStream in = gzip ? new GZIPInputStream(ex.getRequestBody())
                    : ex.getRequestBody()) {
                request = in.readAllBytes();
            }
            ex.getResponseHeaders().add("Content-Type", "application/x-git-upload-pack-result");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                up.upload(new ByteArrayInputStream(request), out, null);
            }
        }
    }

    private static void json(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }


    private static HttpServer server() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        s.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-github");
            t.setDaemon(true);
            return t;
        }));
        return s;
    }

    @Override
    public void close() {
        held.values().forEach(CountDownLatch::countDown);
        api.stop(0);
        codeload.stop(0);
    }
}
