package io.cdnodes.coordinator.repositories;

import io.cdnodes.coordinator.intake.IntakeException;
import io.cdnodes.coordinator.fetchpolicy.FetchPolicy;
import io.cdnodes.protocol.pkg.UnzipLimits;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.lib.EmptyProgressMonitor;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.HttpTransport;
import org.eclipse.jgit.transport.SshSessionFactory;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory;
import org.eclipse.jgit.util.FS;

/**
 * Clones a git repository with JGit: the default branch, depth 1, no tags, no submodules. Over http(s) the
 * token (if any) is offered as the password of {@code x-access-token}, which GitHub, GitLab and Gitea accept,
 * only over https or to a listed host, and only to the URL's own scheme, host and port (not to a host, port or
 * scheme a redirect leads to: {@link OriginCredentials} and {@link PinnedConnections}). The whole clone is bounded in time (JGit checks for cancellation as it makes progress,
 * and a connection that goes silent fails after its idle timeout) and in bytes received (counted as they
 * arrive, {@link ByteBudget}).
 *
 * <p>Before anything is read or sent, the {@link FetchPolicy} is asked: a {@code file://} repository must lie
 * inside the admin's roots (JGit is then given the git folder that was checked, not the URL), an ssh or http
 * host must be listed or resolve to public addresses only; over http every connection JGit opens is checked
 * again and pinned to the checked addresses ({@link PinnedConnections}). Reasons say what went wrong for a
 * listed host or a file:// root; for any other host they are {@link FetchFailure#REFUSED} or
 * {@link FetchFailure#FAILED}, the limits of time and size aside. Thread-safe.
 */
public final class GitClones {

    static {
        // JGit measures each file system's timestamp resolution before its first checkout there, which takes
        // seconds; measured in the background, the first clone does not wait for it
        FS.FileStoreAttributes.setBackground(true);
        // every http clone is given its PinnedConnections; a transport that somehow was not gets no connection
        HttpTransport.setConnectionFactory(new Unconfigured());
    }

    /** The longest a connection may stay silent. */
    private static final Duration MAX_IDLE = Duration.ofSeconds(120);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    private final FetchPolicy policy;
    private final long maxBytes;
    private final UnzipLimits limits;

    /**
     * @param policy   where repositories may be cloned from
     * @param maxBytes the most bytes one clone may receive ({@code CDNODES_MAX_UPLOAD_MB})
     * @param limits   what the checked-out files may add up to ({@link BoundedCheckout})
     */
    public GitClones(FetchPolicy policy, long maxBytes, UnzipLimits limits) {
        this.policy = policy;
        this.maxBytes = maxBytes;
        this.limits = limits;
    }

    /**
     * Clones the repository into {@code target} (which must not exist or be empty) and returns it.
     *
     * @throws FetchFailure    when it cannot be cloned, with the reason its project shows
     * @throws IntakeException when its files are over the intake's limits (nothing is checked out then)
     */
    public Path clone(RepositoryUrl repo, AccessToken token, Path target, Duration timeout)
            throws FetchFailure, InterruptedException {
        String source = source(repo);
        boolean told = repo.file() || policy.listed(repo.host(), repo.port());
        Deadline deadline = new Deadline(System.nanoTime() + timeout.toNanos());
        ByteBudget budget = new ByteBudget(maxBytes);
        try (PinnedConnections connections = new PinnedConnections(policy, budget, origin(repo), CONNECT_TIMEOUT,
                idle(timeout))) {
            var command = Git.cloneRepository().setURI(source).setDirectory(target.toFile())
                    .setDepth(1).setNoTags().setCloneSubmodules(false).setCloneAllBranches(false).setNoCheckout(true)
                    .setTimeout((int) Math.max(1, idle(timeout).toSeconds()))
                    .setProgressMonitor(deadline)
                    .setTransportConfigCallback(t -> {
                        if (t instanceof TransportHttp http) {
                            http.setHttpConnectionFactory(connections);
                        }
                    });
            if (token.present() && repo.http() && policy.mayCarryToken(URI.create(repo.url()))) {
                command.setCredentialsProvider(new OriginCredentials(URI.create(repo.url()), token));
            }
            try (Git git = command.call()) {
                BoundedCheckout.checkout(git, limits);
                return target;
            } catch (IntakeException e) {
                throw e;
            } catch (GitAPIException | IOException | RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("interrupted while cloning");
                }
                throw explain(e, repo, token, told, deadline.passed(), timeout);
            }
        }
    }

    /** The origin credentials may go to: the repository URL's own; none for an ssh or file URL. */
    private static URI origin(RepositoryUrl repo) {
        return repo.http() ? URI.create(repo.url()) : null;
    }

    /** What JGit is to clone from, once the policy allows it. */
    private String source(RepositoryUrl repo) throws FetchFailure {
        try {
            if (repo.file()) {
                Path gitDir = policy.repository(repo.filePath());
                if (Files.isDirectory(gitDir) && !RepositoryCache.FileKey.isGitRepository(gitDir.toFile(), FS.DETECTED)) {
                    throw new FetchFailure(repo.url() + " is not a git repository");
                }
                return gitDir.toUri().toString();
            }
            policy.addresses(repo.host(), repo.port());
        } catch (FetchPolicy.Refused e) {
            throw FetchFailure.refused(e);
        } catch (UnknownHostException e) {
            throw new FetchFailure("cannot clone " + repo.url() + ": unknown host " + repo.host());
        }
        if (repo.ssh() && SshSessionFactory.getInstance() == null) {
            throw new FetchFailure("cloning over ssh is not available on this coordinator; use the https:// URL "
                    + "of " + repo.url() + " (with auth_token for a private repository)");
        }
        return repo.url();
    }

    /**
     * The failure a clone's project shows: a refusal by the policy, the byte or time limit, else what went wrong,
     * told as it is when {@code told} (a listed host, a file:// root) and as {@link FetchFailure#FAILED} otherwise.
     */
    FetchFailure explain(Exception e, RepositoryUrl repo, AccessToken token, boolean told, boolean late,
                         Duration timeout) {
        FetchPolicy.Refused refused = cause(e, FetchPolicy.Refused.class);
        if (refused != null) {
            return FetchFailure.refused(refused);
        }
        if (cause(e, ByteBudget.Exceeded.class) != null) {
            String limit = maxBytes >= 1024 * 1024 ? maxBytes / (1024 * 1024) + " MiB" : maxBytes + " bytes";
            return new FetchFailure("cloning " + repo.url() + " received more than " + limit
                    + " (CDNODES_MAX_UPLOAD_MB)");
        }
        if (late) {
            return new FetchFailure("cloning " + repo.url() + " took longer than " + timeout.toSeconds()
                    + " s (CDNODES_FETCH_TIMEOUT_S)");
        }
        String reason = reason(e, repo, token, timeout);
        return told ? new FetchFailure(reason) : FetchFailure.failed(reason);
    }

    /** What went wrong, as a listed host's or a file:// root's failure is told. */
    private static String reason(Exception e, RepositoryUrl repo, AccessToken token, Duration timeout) {
        // JGit's messages start with the URL, whose host or path could hold any word: match the rest only
        String all = messages(e).replace(repo.url(), "").toLowerCase(Locale.ROOT);
        String host = repo.file() ? "the server" : repo.host();
        if (all.contains("not authorized") || all.contains("authentication is required") || all.contains("auth fail")) {
            return token.present() ? "the token was refused by " + host + " for " + repo.url()
                    : host + " asks for credentials to clone " + repo.url() + ": give an auth_token";
        }
        if (cause(e, UnknownHostException.class) != null) {
            return "cannot clone " + repo.url() + ": unknown host " + host;
        }
        if (cause(e, java.net.ConnectException.class) != null) {
            return "cannot clone " + repo.url() + ": cannot connect to " + host;
        }
        if (cause(e, java.net.SocketTimeoutException.class) != null) {
            return "cloning " + repo.url() + " failed: the server went silent for " + idle(timeout).toSeconds() + " s";
        }
        if (cause(e, NoRemoteRepositoryException.class) != null || all.contains("not found")
                || e instanceof InvalidRemoteException) {
            return "repository " + repo.url() + " not found" + (!repo.http() ? ""
                    : token.present() ? " or not visible with this token" : " (or private: no auth_token was given)");
        }
        Throwable root = root(e);
        return "cloning " + repo.url() + " failed: " + token.scrub(Objects.toString(root.getMessage(),
                root.getClass().getSimpleName()));
    }

    private static Duration idle(Duration timeout) {
        return timeout.compareTo(MAX_IDLE) < 0 ? timeout : MAX_IDLE;
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; t != null && i < 10; t = t.getCause(), i++) {
            sb.append(t.getMessage()).append('\n');
        }
        return sb.toString();
    }

    private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (int i = 0; t != null && i < 10; t = t.getCause(), i++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static Throwable root(Throwable t) {
        Throwable r = t;
        for (int i = 0; r.getCause() != null && i < 10; i++) {
            r = r.getCause();
        }
        return r;
    }

    /** Cancels the clone at the deadline; JGit asks as it makes progress. */
    private static final class Deadline extends EmptyProgressMonitor {
        private final long at;

        Deadline(long at) {
            this.at = at;
        }

        boolean passed() {
            return System.nanoTime() - at > 0;
        }

        @Override
        public boolean isCancelled() {
            return passed() || Thread.currentThread().isInterrupted();
        }
    }

    /** The token, given only for the URL's own scheme, host and port: never to a host a redirect leads to. */
    private static final class OriginCredentials extends UsernamePasswordCredentialsProvider {
        private final URI origin;

        OriginCredentials(URI origin, AccessToken token) {
            super("x-access-token", token.value());
            this.origin = origin;
        }

        @Override
        public boolean get(URIish uri, CredentialItem... items) {
            return sameOrigin(uri) && super.get(uri, items);
        }

        private boolean sameOrigin(URIish uri) {
            if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
                return false;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
            return origin.getScheme().equalsIgnoreCase(scheme)
                    && FetchPolicy.bare(origin.getHost()).equalsIgnoreCase(FetchPolicy.bare(uri.getHost()))
                    && FetchPolicy.port(origin) == port;
        }
    }

    /** JGit's global http connection factory here: refuses, since every clone sets its own. */
    private static final class Unconfigured implements HttpConnectionFactory {
        @Override
        public HttpConnection create(java.net.URL url) throws java.io.IOException {
            throw new FetchPolicy.Refused("an http transport without the fetch policy's connections: " + url.getHost());
        }

        @Override
        public HttpConnection create(java.net.URL url, java.net.Proxy proxy) throws java.io.IOException {
            return create(url);
        }
    }
}
