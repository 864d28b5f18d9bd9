package io.cdnodes.coordinator.repositories;

import io.cdnodes.coordinator.fetchpolicy.FetchPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLSocket;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.ssl.SSLContexts;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory;
import org.eclipse.jgit.transport.http.apache.HttpClientConnection;
import org.eclipse.jgit.util.HttpSupport;

/**
 * JGit's http(s) connections for one clone, on Apache HttpClient with a resolver of our own: each request
 * JGit opens (the first, every redirect it follows, every later one) has its host and port checked by the
 * {@link FetchPolicy} when it is created, and the addresses that were checked are the only ones the client
 * can connect to. There is no second lookup between the check and the connection, so a DNS answer that
 * changes in between (rebinding) cannot lead the clone to an address that was not checked. Every response
 * body is counted against the clone's {@link ByteBudget} as it is read (after HTTP decompression, so a
 * compressed bomb counts at its full size).
 *
 * <p>No proxy is used, and JGit's redirects stay JGit's (the client follows none). A request to another origin
 * than the repository URL's (scheme, host, port) goes without an {@code Authorization} header: JGit forgets the
 * credentials it has when a redirect changes the host, but keeps them when it changes only the port or the scheme.
 * Close it when the clone ends: that closes the client's connections. Used by one clone at a time.
 */
final class PinnedConnections implements HttpConnectionFactory, AutoCloseable {

    private final FetchPolicy policy;
    private final ByteBudget budget;
    /** The repository URL: its origin alone is sent credentials; null: none is. */
    private final URI origin;
    /** The checked addresses of each host this clone may connect to, by lower-case host without brackets. */
    private final Map<String, InetAddress[]> pinned = new ConcurrentHashMap<>();
    private final int connectMillis;
    private final int idleMillis;
    /** Made at the clone's first request: a file:// clone never needs one. */
    private CloseableHttpClient client;

    /**
     * @param origin         the repository's URL: requests to another scheme, host or port carry no credentials
     *                       (null: no request does)
     * @param connectTimeout how long one connection attempt may take
     * @param idle           how long a connection may stay silent
     */
    PinnedConnections(FetchPolicy policy, ByteBudget budget, URI origin, Duration connectTimeout, Duration idle) {
        this.policy = policy;
        this.budget = budget;
        this.origin = origin;
        this.connectMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        this.idleMillis = (int) Math.min(Integer.MAX_VALUE, idle.toMillis());
    }

    private synchronized CloseableHttpClient client() {
        if (client == null) {
            client = HttpClients.custom()
                    .setDnsResolver(this::pinnedAddresses)
                    .setSSLSocketFactory(Tls.FACTORY)
                    .setDefaultRequestConfig(RequestConfig.custom().setConnectTimeout(connectMillis)
                            .setConnectionRequestTimeout(connectMillis).setSocketTimeout(idleMillis)
                            .setRedirectsEnabled(false).build())
                    .setMaxConnPerRoute(4).setMaxConnTotal(8)
                    .disableRedirectHandling()
                    .disableAutomaticRetries()
                    .disableCookieManagement()
                    .build();
        }
        return client;
    }

    @Override
    public HttpConnection create(URL url) throws IOException {
        return create(url, null);
    }

    /**
     * Checks the URL's host and port, pins the addresses checked, and returns a connection that will use them.
     *
     * @throws FetchPolicy.Refused when the policy refuses the host (nothing is sent)
     */
    @Override
    public HttpConnection create(URL url, Proxy ignored) throws IOException {
        String scheme = url.getProtocol().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new FetchPolicy.Refused("a " + scheme + " URL in an http clone: " + url.getHost());
        }
        int port = url.getPort() != -1 ? url.getPort() : url.getDefaultPort();
        List<InetAddress> addresses = policy.addresses(url.getHost(), port);
        pinned.put(key(url.getHost()), addresses.toArray(new InetAddress[0]));
        return new Counted(url, client(), budget, sameOrigin(url));
    }

    private boolean sameOrigin(URL url) {
        if (origin == null) {
            return false;
        }
        try {
            return FetchPolicy.sameOrigin(origin, url.toURI());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private InetAddress[] pinnedAddresses(String host) throws UnknownHostException {
        InetAddress[] a = pinned.get(key(host));
        if (a == null) {
            // the client only connects to hosts of requests made through create(): this is not reached
            throw new UnknownHostException(host + " was not checked by the fetch policy");
        }
        return a.clone();
    }

    private static String key(String host) {
        return FetchPolicy.bare(host).toLowerCase(Locale.ROOT);
    }

    @Override
    public synchronized void close() {
        try {
            if (client != null) {
                client.close();
            }
        } catch (IOException e) {
            // its connections are gone either way
        }
    }

    /** The TLS sockets of every clone: the system's trust store, JGit's choice of protocols; made once, when needed. */
    private static final class Tls {
        static final SSLConnectionSocketFactory FACTORY = new SSLConnectionSocketFactory(SSLContexts.createSystemDefault(),
                SSLConnectionSocketFactory.getDefaultHostnameVerifier()) {
            @Override
            protected void prepareSocket(SSLSocket socket) throws IOException {
                super.prepareSocket(socket);
                HttpSupport.configureTLS(socket); // as JGit's own connections do
            }
        };
    }

    /** JGit's Apache connection on the shared client, its body counted, credentials only to the origin. */
    private static final class Counted extends HttpClientConnection {
        private final ByteBudget budget;
        private final boolean mayAuthenticate;

        Counted(URL url, CloseableHttpClient client, ByteBudget budget, boolean mayAuthenticate)
                throws MalformedURLException {
            super(url.toString(), null, client);
            this.budget = budget;
            this.mayAuthenticate = mayAuthenticate;
        }

        @Override
        public void setRequestProperty(String key, String value) {
            if (mayAuthenticate || !HttpSupport.HDR_AUTHORIZATION.equalsIgnoreCase(key)) {
                super.setRequestProperty(key, value);
            }
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return budget.counted(super.getInputStream());
        }
    }
}
