package io.cdnodes.protocol.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How a worker decides that the peer it reached is its coordinator, and the client side of CDProto's TLS 1.3
 * handshake. Either the coordinator's certificate is pinned by its {@link Fingerprint} (no name or date is
 * checked: the coordinator's generated certificate is self-signed), or it must chain to one of the given
 * certificate authorities and name the host the worker connected to (as HTTPS checks it). A refusal is a
 * {@link CertificateRefusedException} saying what was found.
 *
 * <p>Immutable and thread-safe; each handshake gets trust managers of its own.
 */
public final class CoordinatorTrust {

    /** The only protocol either side speaks. */
    public static final String PROTOCOL = "TLSv1.3";

    private final Fingerprint pinned;
    private final List<X509Certificate> authorities;
    private final String source;

    private CoordinatorTrust(Fingerprint pinned, List<X509Certificate> authorities, String source) {
        this.pinned = pinned;
        this.authorities = authorities;
        this.source = source;
    }

    /** Trusts exactly the certificate with this fingerprint. */
    public static CoordinatorTrust pinned(Fingerprint fingerprint) {
        return new CoordinatorTrust(Objects.requireNonNull(fingerprint, "fingerprint"), List.of(), "fingerprint");
    }

    /**
     * Trusts certificates issued by (or equal to) one of {@code authorities} that name the host connected to.
     *
     * @param source where the authorities came from, for messages (a file name)
     */
    public static CoordinatorTrust authorities(List<X509Certificate> authorities, String source) {
        if (authorities.isEmpty()) {
            throw new IllegalArgumentException("no certificate authority given");
        }
        return new CoordinatorTrust(null, List.copyOf(authorities), Objects.requireNonNull(source, "source"));
    }

    /**
     * Layers TLS 1.3 over a connected socket and completes the handshake, each read of it bounded by
     * {@code timeout}. Closing the returned socket closes {@code connected}.
     *
     * @param host the host name or address the worker connected to: checked against the certificate with CA trust
     * @throws CertificateRefusedException when the coordinator's certificate is not trusted
     * @throws IOException                 when the handshake fails otherwise (the peer is gone, speaks no TLS, ...)
     */
    public SSLSocket handshake(Socket connected, String host, int port, Duration timeout) throws IOException {
        Checking trust = new Checking(delegate());
        SSLSocket socket;
        try {
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(null, new TrustManager[] {trust}, null);
            socket = (SSLSocket) context.getSocketFactory().createSocket(connected, host, port, true);
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS is not available: " + e.getMessage(), e);
        }
        socket.setUseClientMode(true);
        socket.setEnabledProtocols(new String[] {PROTOCOL});
        if (pinned == null) {
            SSLParameters p = socket.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(p);
        }
        int before = socket.getSoTimeout();
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        try {
            socket.startHandshake();
        } catch (SSLHandshakeException e) {
            if (trust.refusal != null) {
                socket.close();
                throw new CertificateRefusedException(trust.refusal.getMessage(), e);
            }
            socket.close();
            throw e;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        socket.setSoTimeout(before);
        return socket;
    }

    @Override
    public String toString() {
        return pinned != null ? "the certificate with SHA-256 fingerprint " + pinned
                : "certificates issued by " + source;
    }

    private X509ExtendedTrustManager delegate() throws IOException {
        if (pinned != null) {
            return new Pinned(pinned);
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < authorities.size(); i++) {
                store.setCertificateEntry("ca-" + i, authorities.get(i));
            }
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(store);
            for (TrustManager m : f.getTrustManagers()) {
                if (m instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new IOException("the JDK has no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the certificate authorities of " + source + ": " + e.getMessage(), e);
        }
    }

    /** Trusts the one certificate with the pinned fingerprint, whatever it names and whenever it expires. */
    private static final class Pinned extends X509ExtendedTrustManager {
        private final Fingerprint expected;

        Pinned(Fingerprint expected) {
            this.expected = expected;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the coordinator presented no certificate");
            }
            Fingerprint found = Fingerprint.of(chain[0]);
            if (!found.equals(expected)) {
                throw new CertificateException("the coordinator's certificate has the SHA-256 fingerprint " + found
                        + ", not the expected " + expected);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a worker authenticates no clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** Passes checks to a delegate and keeps its refusal, so that a failed handshake can say it was the certificate. */
    private final class Checking extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private volatile CertificateException refusal;

        Checking(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        private CertificateException refused(CertificateException e) {
            refusal = pinned != null ? e
                    : new CertificateException("the coordinator's certificate is not trusted by " + source + ": "
                    + e.getMessage(), e);
            return refusal;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                throw refused(e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                throw refused(e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                throw refused(e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
