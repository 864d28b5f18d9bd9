package io.cdnodes.protocol.tls;

import javax.net.ssl.SSLHandshakeException;

/**
 * The TLS handshake failed because the worker does not trust the coordinator's certificate: another
 * fingerprint than the pinned one, no path to a trusted authority, or a host name the certificate does not
 * name. Retrying cannot help; the worker agent exits.
 */
public final class CertificateRefusedException extends SSLHandshakeException {

    private static final long serialVersionUID = 1L;

    public CertificateRefusedException(String message, Throwable cause) {
        super(message);
        initCause(cause);
    }
}
