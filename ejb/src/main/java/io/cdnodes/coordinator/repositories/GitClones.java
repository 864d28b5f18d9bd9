package io.cdnodes.coordinator.repositories;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.lib.EmptyProgressMonitor;
import org.eclipse.jgit.transport.SshSessionFactory;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.util.FS;

/**
 * Clones a git repository with JGit: the default branch, depth 1, no tags, no submodules. Over http(s) the
 * token (if any) is offered as the password of {@code x-access-token}, which GitHub, GitLab and Gitea accept.
 * The whole clone is bounded in time: JGit checks for cancellation as it makes progress, and a connection
 * that goes silent fails after its idle timeout. Thread-safe.
 */
public final class GitClones {

    static {
        // JGit measures each file system's timestamp resolution before its first checkout there, which takes
        // seconds; measured in the background, the first clone does not wait for it
        FS.FileStoreAttributes.setBackground(true);
    }

    /** The longest a connection may stay silent. */
    private static final Duration MAX_IDLE = Duration.ofSeconds(120);

    /**
     * Clones the repository into {@code target} (which must not exist or be empty) and returns it.
     *
     * @throws FetchFailure when it cannot be cloned, with the reason its project shows
     */
    public Path clone(RepositoryUrl repo, AccessToken token, Path target, Duration timeout)
            throws FetchFailure, InterruptedException {
        if (repo.ssh() && SshSessionFactory.getInstance() == null) {
            throw new FetchFailure("cloning over ssh is not available on this coordinator; use the https:// URL "
                    + "of " + repo.url() + " (with auth_token for a private repository)");
        }
        Deadline deadline = new Deadline(System.nanoTime() + timeout.toNanos());
        var command = Git.cloneRepository().setURI(repo.url()).setDirectory(target.toFile())
                .setDepth(1).setNoTags().setCloneSubmodules(false).setCloneAllBranches(false)
                .setTimeout((int) Math.max(1, idle(timeout).toSeconds()))
                .setProgressMonitor(deadline);
        if (token.present() && repo.http()) {
            command.setCredentialsProvider(new UsernamePasswordCredentialsProvider("x-access-token", token.value()));
        }
        try (Git ignored = command.call()) {
            return target;
        } catch (GitAPIException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("interrupted while cloning");
            }
            throw new FetchFailure(explain(e, repo, token, deadline.passed(), timeout));
        }
    }

    private static String explain(Exception e, RepositoryUrl repo, AccessToken token, boolean late, Duration timeout) {
        if (late) {
            return "cloning " + repo.url() + " took longer than " + timeout.toSeconds() + " s (CDNODES_FETCH_TIMEOUT_S)";
        }
        // JGit's messages start with the URL, whose host or path could hold any word: match the rest only
        String all = messages(e).replace(repo.url(), "").toLowerCase(Locale.ROOT);
        if (all.contains("not authorized") || all.contains("authentication is required") || all.contains("auth fail")) {
            return token.present() ? "the token was refused by " + host(repo) + " for " + repo.url()
                    : host(repo) + " asks for credentials to clone " + repo.url() + ": give an auth_token";
        }
        if (hasCause(e, java.net.UnknownHostException.class)) {
            return "cannot clone " + repo.url() + ": unknown host " + host(repo);
        }
        if (hasCause(e, java.net.ConnectException.class)) {
            return "cannot clone " + repo.url() + ": cannot connect to " + host(repo);
        }
        if (hasCause(e, java.net.SocketTimeoutException.class)) {
            return "cloning " + repo.url() + " failed: the server went silent for " + idle(timeout).toSeconds() + " s";
        }
        if (hasCause(e, NoRemoteRepositoryException.class) || all.contains("not found")
                || e instanceof InvalidRemoteException) {
            if (localFolder(repo)) {
                return repo.url() + " is not a git repository";
            }
            return "repository " + repo.url() + " not found" + (!repo.http() ? ""
                    : token.present() ? " or not visible with this token" : " (or private: no auth_token was given)");
        }
        return "cloning " + repo.url() + " failed: " + token.scrub(Objects.toString(root(e).getMessage(),
                root(e).getClass().getSimpleName()));
    }

    /** A file:// URL naming a folder that exists, but holds no repository. */
    private static boolean localFolder(RepositoryUrl repo) {
        if (!repo.url().regionMatches(true, 0, "file:", 0, 5)) {
            return false;
        }
        try {
            return java.nio.file.Files.isDirectory(Path.of(java.net.URI.create(repo.url()).getPath()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Duration idle(Duration timeout) {
        return timeout.compareTo(MAX_IDLE) < 0 ? timeout : MAX_IDLE;
    }

    private static String host(RepositoryUrl repo) {
        try {
            String h = java.net.URI.create(repo.url()).getHost();
            return h == null ? "the server" : h;
        } catch (IllegalArgumentException e) {
            return "the server";
        }
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; t != null && i < 10; t = t.getCause(), i++) {
            sb.append(t.getMessage()).append('\n');
        }
        return sb.toString();
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (int i = 0; t != null && i < 10; t = t.getCause(), i++) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
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
}
