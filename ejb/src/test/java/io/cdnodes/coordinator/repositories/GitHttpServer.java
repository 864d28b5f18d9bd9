package io.cdnodes.coordinator.repositories;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A real git server over smart HTTP for tests: JGit's own {@link UploadPack} behind a JDK {@code HttpServer},
 * serving {@code /NAME.git} for each repository given. Notes every request (path and Authorization header),
 * can ask for credentials, and can redirect a repository's first request elsewhere.
 */
final class GitHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, Repository> repositories = new ConcurrentHashMap<>();
    private final Map<String, String> redirects = new ConcurrentHashMap<>();
    /** "PATH AUTHORIZATION-or-dash" for each request. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** Whether a request without an Authorization header is answered 401 (Basic), as a private repository's is. */
    private volatile boolean askingForCredentials;

    GitHttpServer(String address) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "git-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves the repository as {@code /NAME.git}. */
    GitHttpServer serve(String name, Repository repository) {
        repositories.put(name, repository);
        return this;
    }

    /** Answers the first request for {@code /NAME.git} with a redirect to {@code base} (which ends in NAME.git). */
    GitHttpServer redirect(String name, String base) {
        redirects.put(name, base);
        return this;
    }

    /** Answers every request that has no Authorization header with 401 and a Basic challenge. */
    GitHttpServer askingForCredentials() {
        askingForCredentials = true;
        return this;
    }

    String url(String name) {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port() + "/" + name + ".git";
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String path = ex.getRequestURI().getPath();
        requests.add(path + " " + (auth == null ? "-" : auth));
        String[] parts = path.split("/", 3);
        String name = parts.length > 1 && parts[1].endsWith(".git") ? parts[1].substring(0, parts[1].length() - 4) : "";
        try (ex) {
            if (askingForCredentials && auth == null) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                ex.sendResponseHeaders(401, -1);
                return;
            }
            if (redirects.containsKey(name) && path.endsWith("/info/refs")) {
                ex.getResponseHeaders().add("Location", redirects.get(name) + "/info/refs?"
                        + ex.getRequestURI().getRawQuery());
                ex.sendResponseHeaders(302, -1);
                return;
            }
            Repository repo = repositories.get(name);
            if (repo == null) {
                ex.sendResponseHeaders(404, -1);
            } else if (path.endsWith("/info/refs")) {
                advertise(ex, repo);
            } else if (path.endsWith("/git-upload-pack") && ex.getRequestMethod().equals("POST")) {
                ex.getResponseHeaders().add("Content-Type", "application/x-git-upload-pack-result");
                ex.sendResponseHeaders(200, 0);
                UploadPack up = uploadPack(ex, repo);
                // read whole first: the JDK server's body stream skips past its end (into the socket) when
                // asked to skip, which UploadPack does to drain a request
                byte[] request;
                boolean gzip = "gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"));
                try (InputStream in = gzip ? new GZIPInputStream(ex.getRequestBody()) : ex.getRequestBody()) {
                    request = in.readAllBytes(); // JGit compresses larger requests
                }
                try (OutputStream out = ex.getResponseBody()) {
                    up.upload(new java.io.ByteArrayInputStream(request), out, null);
                }
            } else {
                ex.sendResponseHeaders(404, -1);
            }
        }
    }

    private static void advertise(HttpExchange ex, Repository repo) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "application/x-git-upload-pack-advertisement");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            PacketLineOut pck = new PacketLineOut(out);
            pck.writeString("# service=git-upload-pack\n");
            pck.end();
            uploadPack(ex, repo).sendAdvertisedRefs(new RefAdvertiser.PacketLineOutRefAdvertiser(pck));
        }
    }

    /** Stateless, speaking protocol v2 when the client asks for it as JGit's own servlet does. */
    private static UploadPack uploadPack(HttpExchange ex, Repository repo) {
        UploadPack up = new UploadPack(repo);
        up.setBiDirectionalPipe(false);
        String protocol = ex.getRequestHeaders().getFirst("Git-Protocol");
        if (protocol != null) {
            up.setExtraParameters(List.of(protocol.split(":")));
        }
        return up;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
