package io.cdnodes.connector.inbound;

import io.cdnodes.protocol.codec.Wire;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.tls.CoordinatorTrust;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The coordinator's side of the TLS 1.3 handshake on an accepted TCP connection. The first byte tells a TLS
 * client (a handshake record, 0x16) from a worker speaking plain CDProto ({@code C}) or anything else; the latter
 * two are answered in clear with one ERROR that says what is wrong, since they cannot read TLS. Runs on the
 * connection's reader thread, so a slow handshake holds up no one else; its deadline is kept by the caller.
 */
final class TlsHandshake {

    private static final int TLS_HANDSHAKE_RECORD = 0x16;

    /** What came of the handshake. */
    sealed interface Result permits Secured, Refused {
    }

    /** TLS is established: speak CDProto over {@code socket}. */
    record Secured(SSLSocket socket) implements Result {
    }

    /** The peer does not speak TLS: send it {@code error} in clear and close. */
    record Refused(ErrorFrame error) implements Result {
    }

    private final SSLSocketFactory factory;

    TlsHandshake(SSLContext context) {
        this.factory = context.getSocketFactory();
    }

    /**
     * Reads the first byte and, for a TLS client, completes the handshake; each read waits at most {@code timeout}.
     *
     * @throws IOException when the peer leaves or the handshake fails
     */
    Result accept(Socket raw, Duration timeout) throws IOException {
        int timeoutMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        raw.setSoTimeout(timeoutMs);
        int first = raw.getInputStream().read();
        if (first < 0) {
            throw new EOFException("closed before the TLS handshake");
        }
        if (first == (Wire.MAGIC_0 & 0xFF)) {
            return new Refused(new ErrorFrame(ErrorCode.UNSUPPORTED_VERSION, "this coordinator speaks CDProto over "
                    + "TLS 1.3 on this port: start the worker with --tls-fingerprint or --tls-ca (plain TCP needs "
                    + "CDNODES_PROTO_TLS=false on the coordinator and --plain-tcp on the worker)"));
        }
        if (first != TLS_HANDSHAKE_RECORD) {
            return new Refused(new ErrorFrame(ErrorCode.MALFORMED_FRAME, "not TLS: this port speaks CDProto over "
                    + "TLS 1.3"));
        }
        SSLSocket tls = (SSLSocket) factory.createSocket(raw, new ByteArrayInputStream(new byte[] {(byte) first}),
                true);
        tls.setUseClientMode(false);
        tls.setEnabledProtocols(new String[] {CoordinatorTrust.PROTOCOL});
        tls.setSoTimeout(timeoutMs);
        tls.startHandshake();
        return new Secured(tls);
    }
}
