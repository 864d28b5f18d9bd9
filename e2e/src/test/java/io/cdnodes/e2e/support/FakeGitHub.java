package io.cdnodes.e2e.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
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

/**
 * Plays the GitHub REST API for the coordinator ({@code CDNODES_GITHUB_API}): {@code GET /repos/{o}/{r}/zipball}
 * answers 401 to a wrong token, 404 to no token or an unknown repository, and otherwise 302 to a second server
 * on another port (playing codeload.github.com), which serves a zipball built from a fixture folder, with one
 * top folder as GitHub's have. The download server notes any Authorization header it is sent: the token must
 * never reach it. Repositories can be added while it runs, a download can be held back until released, and a
 * repository can be redirected anywhere (to see the coordinator refuse to follow).
 */
public final class FakeGitHub implements AutoCloseable {

    /** The one token this GitHub accepts, random per test run. */
    public static final String TOKEN = "ghp_e2e" + java.util.UUID.randomUUID().toString().replace("-", "");

    private static final Pattern ZIPBALL = Pattern.compile("/repos/([^/]+)/([^/]+)/zipball(?:/.*)?");

    private final HttpServer api;
    private final HttpServer codeload;
    private final Map<String, byte[]> zipballs = new ConcurrentHashMap<>();
    private final Map<String, String> redirects = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizationsAtDownload = new CopyOnWriteArrayList<>();

    private FakeGitHub() throws IOException {
        codeload = server();
        codeload.createContext("/", this::download);
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
