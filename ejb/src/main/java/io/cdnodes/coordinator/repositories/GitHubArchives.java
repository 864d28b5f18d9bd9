package io.cdnodes.coordinator.repositories;

import io.cdnodes.coordinator.fetchpolicy.FetchPolicy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Downloads a repository as a zipball through the GitHub REST API: {@code GET {api}/repos/{owner}/{repo}/zipball[/{ref}]},
 * following GitHub's redirect to the download host. The token goes only to the API's own origin (scheme,
 * host and port), never to the host a redirect leads to, and only over https unless the admin lists the API's
 * host. The download is bounded in bytes (counted as they arrive) and in time. Thread-safe: one instance
 * serves every fetch.
 *
 * <p>Every hop, the API's first, is checked by the {@link FetchPolicy} before its request is sent: redirects
 * are followed here, one at a time, never by the client. The JDK's client cannot be given the addresses that
 * were checked (Java 17 has no pluggable resolver): it resolves the name again as it connects, which the JVM
 * answers from its cache of the lookup just made ({@code networkaddress.cache.ttl}, 30 s by default), so a
 * DNS answer that changes between check and connect is possible only if that cache entry expires in between
 * or the cache is switched off. The names looked up here are the API's (the admin's setting) and those it
 * redirects to, not names a submitter chooses.
 *
 * <p>Reasons name what GitHub's API said (token refused, repository not found or not visible with this
 * token, rate limit); a download host that is neither the API's nor listed gets {@link FetchFailure#FAILED}.
 */
public final class GitHubArchives {

    private static final int MAX_REDIRECTS = 5;

    private final URI api;
    private final long maxBytes;
    private final FetchPolicy policy;
    private final HttpClient http;

    /**
     * @param api      the API root, like {@code https://api.github.com} (no trailing '/')
     * @param maxBytes the largest archive accepted
     * @param policy   where downloads may come from
     */
    public GitHubArchives(URI api, long maxBytes, Duration connectTimeout, FetchPolicy policy) {
        this.api = api;
        this.maxBytes = maxBytes;
        this.policy = policy;
        // no proxy: the policy checks the host the request names, which a proxy would not be
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).proxy(HttpClient.Builder.NO_PROXY)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Downloads the repository's zipball into {@code target}.
     *
     * @throws FetchFailure when it cannot be had, with the reason its project shows
     */
    public Path download(RepositoryUrl repo, AccessToken token, Path target, Duration timeout)
            throws FetchFailure, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI uri = URI.create(api + "/repos/" + repo.owner() + "/" + repo.name() + "/zipball"
                + (repo.ref() == null ? "" : "/" + repo.ref()));
        for (int hop = 0; ; hop++) {
            allowed(uri, repo);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET()
                    .timeout(remaining(deadline, repo, timeout))
                    .header("Accept", "application/vnd.github+json")
                    .header("X-GitHub-Api-Version", "2022-11-28")
                    .header("User-Agent", "cdnodes-coordinator");
            if (token.present() && FetchPolicy.sameOrigin(uri, api) && policy.mayCarryToken(api)) {
                request.header("Authorization", "Bearer " + token.value());
            }
            HttpResponse<Path> r = send(request.build(), target, deadline, repo, token, timeout);
            int status = r.statusCode();
            if (status == 200) {
                return target;
            }
            if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
                if (!trusted(uri)) {
                    throw FetchFailure.failed("the download host " + origin(uri) + " answered HTTP " + status
                            + " for " + repo.slug());
                }
                throw new FetchFailure(explain(status, r, repo, token));
            }
            if (hop == MAX_REDIRECTS) {
                throw new FetchFailure("GitHub redirected the download of " + repo.slug() + " more than "
                        + MAX_REDIRECTS + " times");
            }
            uri = next(uri, r, repo);
        }
    }

    private HttpResponse<Path> send(HttpRequest request, Path target, long deadline, RepositoryUrl repo,
                                    AccessToken token, Duration timeout) throws FetchFailure, InterruptedException {
        CompletableFuture<HttpResponse<Path>> f = http.sendAsync(request, info -> info.statusCode() == 200
                ? new LimitedFile(target, new ByteBudget(maxBytes)) : HttpResponse.BodySubscribers.replacing(null));
        try {
            return f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw tookTooLong(repo, timeout);
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ByteBudget.Exceeded) {
                throw new FetchFailure("the archive of " + repo.slug() + " is larger than " + maxBytes / (1024 * 1024)
                        + " MiB (CDNODES_MAX_UPLOAD_MB)");
            }
            if (cause instanceof HttpTimeoutException) {
                throw tookTooLong(repo, timeout);
            }
            String where = origin(request.uri());
            String detail = cause instanceof ConnectException ? "cannot connect to " + where + " to download " + repo.slug()
                    : "downloading " + repo.slug() + " from " + where + " failed: "
                    + token.scrub(Objects.toString(cause.getMessage(), cause.getClass().getSimpleName()));
            throw trusted(request.uri()) ? new FetchFailure(detail) : FetchFailure.failed(detail);
        }
    }

    /** The policy's word on one hop, before anything is sent to it. */
    private void allowed(URI uri, RepositoryUrl repo) throws FetchFailure {
        try {
            policy.check(uri);
        } catch (FetchPolicy.Refused e) {
            throw FetchFailure.refused(e);
        } catch (java.net.UnknownHostException e) {
            // only a listed host gets here: its failures may be told
            throw new FetchFailure("cannot resolve " + uri.getHost() + " to download " + repo.slug());
        }
    }

    /** The API's own origin, or a host the admin lists: what they answer may be shown as it is. */
    private boolean trusted(URI uri) {
        return FetchPolicy.sameOrigin(uri, api) || uri.getHost() != null && policy.listed(uri.getHost(), FetchPolicy.port(uri));
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    private static String explain(int status, HttpResponse<?> r, RepositoryUrl repo, AccessToken token) {
        String what = repo.ref() == null ? "repository " + repo.slug() : "repository " + repo.slug() + " at " + repo.ref();
        boolean rateLimited = r.headers().firstValue("x-ratelimit-remaining").map("0"::equals).orElse(false);
        if (status == 429 || status == 403 && rateLimited) {
            return "GitHub's API rate limit is used up (HTTP " + status + "); try again later"
                    + (token.present() ? "" : ", or give an auth_token");
        }
        return switch (status) {
            case 401 -> token.present() ? "the token was refused by GitHub (HTTP 401)"
                    : "GitHub asks for a token to download " + repo.slug() + " (HTTP 401): give an auth_token";
            case 403 -> token.present() ? "the token was refused by GitHub for " + repo.slug()
                    + " (HTTP 403: it lacks access to this repository)"
                    : "GitHub refused to serve " + repo.slug() + " without a token (HTTP 403)";
            case 404 -> token.present() ? what + " not found or not visible with this token"
                    : what + " not found (or private: no auth_token was given)";
            default -> "GitHub answered HTTP " + status + " for " + repo.slug();
        };
    }

    private static URI next(URI from, HttpResponse<?> r, RepositoryUrl repo) throws FetchFailure {
        String location = r.headers().firstValue("location").orElse(null);
        if (location == null) {
            throw new FetchFailure("GitHub redirected the download of " + repo.slug() + " without saying where");
        }
        URI to;
        try {
            to = from.resolve(URI.create(location.strip()));
        } catch (IllegalArgumentException e) {
            throw new FetchFailure("GitHub redirected the download of " + repo.slug() + " to a malformed location");
        }
        String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || to.getHost() == null) {
            throw new FetchFailure("GitHub redirected the download of " + repo.slug() + " to a location that is not http(s)");
        }
        return to;
    }

    private static Duration remaining(long deadline, RepositoryUrl repo, Duration timeout) throws FetchFailure {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw tookTooLong(repo, timeout);
        }
        return Duration.ofNanos(left);
    }

    private static FetchFailure tookTooLong(RepositoryUrl repo, Duration timeout) {
        return new FetchFailure("downloading " + repo.slug() + " took longer than " + timeout.toSeconds()
                + " s (CDNODES_FETCH_TIMEOUT_S)");
    }

    /** Writes a response body to a file, and stops as soon as it passes the budget. */
    private static final class LimitedFile implements HttpResponse.BodySubscriber<Path> {
        private final Path target;
        private final ByteBudget budget;
        private final CompletableFuture<Path> result = new CompletableFuture<>();
        private FileChannel channel;
        private Flow.Subscription subscription;

        LimitedFile(Path target, ByteBudget budget) {
            this.target = target;
            this.budget = budget;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            try {
                channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
            } catch (IOException e) {
                s.cancel();
                result.completeExceptionally(e);
                return;
            }
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            try {
                for (ByteBuffer b : buffers) {
                    try {
                        budget.spend(b.remaining());
                    } catch (ByteBudget.Exceeded e) {
                        subscription.cancel();
                        fail(e);
                        return;
                    }
                    while (b.hasRemaining()) {
                        channel.write(b);
                    }
                }
                subscription.request(1);
            } catch (IOException e) {
                subscription.cancel();
                fail(e);
            }
        }

        @Override
        public void onError(Throwable t) {
            fail(t);
        }

        @Override
        public void onComplete() {
            try {
                channel.close();
                result.complete(target);
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        }

        private void fail(Throwable t) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // the scratch folder is deleted anyway
            }
            result.completeExceptionally(t);
        }

        @Override
        public CompletionStage<Path> getBody() {
            return result;
        }
    }
}
