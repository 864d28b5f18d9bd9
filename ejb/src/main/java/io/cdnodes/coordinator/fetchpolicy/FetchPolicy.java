package io.cdnodes.coordinator.fetchpolicy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the coordinator may fetch repositories from, decided before any connection is made: a host the
 * admin lists ({@link AllowedHosts}) on its port, or else a host every address of which is public
 * ({@link AddressRanges}); a {@code file://} repository only inside the admin's {@link FileRoots}. A host
 * that does not resolve is refused like one that resolves to a private address, so that the answer never
 * tells a submitter which names the coordinator's DNS knows.
 *
 * <p>{@link #addresses} is the only lookup a pinned client makes: it connects to exactly the addresses that
 * were checked (see the repositories' {@code PinnedConnections}). Thread-safe and immutable.
 */
public final class FetchPolicy {

    /** How names become addresses; tests give their own. */
    @FunctionalInterface
    public interface Resolver {
        /** The system's resolver, with the JDK's cache. */
        Resolver SYSTEM = InetAddress::getAllByName;

        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * A fetch the policy refuses. Its message is for the coordinator's log (host, addresses, paths); the
     * submitter is told one fixed reason ({@code FetchFailure.REFUSED}) only. An {@link IOException}, so that it
     * passes unchanged through the HTTP and git libraries that call back into the policy.
     */
    public static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        public Refused(String detail) {
            super(detail);
        }
    }

    private final AllowedHosts hosts;
    private final FileRoots roots;
    private final Resolver resolver;

    public FetchPolicy(AllowedHosts hosts, FileRoots roots, Resolver resolver) {
        this.hosts = hosts;
        this.roots = roots;
        this.resolver = resolver;
    }

    /** Whether the admin lists this host on this port. */
    public boolean listed(String host, int port) {
        return hosts.allows(host, port);
    }

    /**
     * The addresses a connection to {@code host:port} may use: all of the host's, when it is listed; else
     * all of them if every one is public.
     *
     * @throws Refused             when the host is not listed and does not resolve, or one of its addresses is
     *                              not public
     * @throws UnknownHostException when the host is listed and does not resolve (a listed host's failures are
     *                              told as they are)
     */
    public List<InetAddress> addresses(String host, int port) throws Refused, UnknownHostException {
        String h = bare(host);
        if (h == null || h.isEmpty()) {
            throw new Refused("no host");
        }
        if (listed(h, port)) {
            return List.of(resolver.resolve(h));
        }
        InetAddress[] all;
        try {
            all = resolver.resolve(h);
        } catch (UnknownHostException | SecurityException e) {
            throw new Refused("host " + h + " does not resolve");
        }
        if (all == null || all.length == 0) {
            throw new Refused("host " + h + " resolves to no address");
        }
        List<InetAddress> out = new ArrayList<>();
        for (InetAddress a : all) {
            Optional<String> kind = AddressRanges.nonPublic(a);
            if (kind.isPresent()) {
                throw new Refused("host " + h + " port " + port + " resolves to " + a.getHostAddress() + ", "
                        + kind.get() + ", and is not in CDNODES_FETCH_ALLOW_HOSTS");
            }
            out.add(a);
        }
        return List.copyOf(out);
    }

    /** Checks a URL's host and port; see {@link #addresses}. */
    public void check(URI uri) throws Refused, UnknownHostException {
        addresses(uri.getHost(), port(uri));
    }

    /**
     * Whether a token may go along to this URL: over https, or to a listed host (a test's or the admin's
     * own server over plain http).
     */
    public boolean mayCarryToken(URI uri) {
        return "https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() != null && listed(uri.getHost(), port(uri));
    }

    /**
     * Same scheme, host and port (the scheme's default filled in): the only place a token given for {@code a} may go.
     */
    public static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && bare(a.getHost()).equalsIgnoreCase(bare(b.getHost())) && port(a) == port(b);
    }

    /** The git folder a {@code file://} URL's path names; see {@link FileRoots#repository}. */
    public Path repository(Path requested) throws Refused {
        return roots.repository(requested);
    }

    /** The URL's port, or its scheme's default (http 80, https 443, ssh 22). */
    public static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return switch (uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT)) {
            case "https" -> 443;
            case "ssh" -> 22;
            default -> 80;
        };
    }

    /** The host without the brackets a URL puts around an IPv6 address. */
    public static String bare(String host) {
        return host != null && host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public String toString() {
        return "FetchPolicy[allow hosts " + hosts + ", file roots " + roots + "]";
    }
}
