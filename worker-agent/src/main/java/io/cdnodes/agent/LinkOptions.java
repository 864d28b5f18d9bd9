package io.cdnodes.agent;

import io.cdnodes.protocol.tls.CoordinatorTrust;
import io.cdnodes.protocol.tls.Fingerprint;
import io.cdnodes.protocol.tls.Pem;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import picocli.CommandLine.Option;

/**
 * The command-line options that say where the coordinator is and how the link to it is secured: its address, the
 * worker token, and how its TLS certificate is checked. A picocli mixin of {@link Main}.
 */
final class LinkOptions {

    @Option(names = "--coordinator", defaultValue = "${env:CDNODES_COORDINATOR:-tcp://127.0.0.1:7000}",
            description = "tcp://HOST:PORT or unix:PATH (env CDNODES_COORDINATOR; default ${DEFAULT-VALUE})")
    String coordinator;

    @Option(names = "--token", defaultValue = "${env:CDNODES_WORKER_TOKEN}",
            description = "the worker token (env CDNODES_WORKER_TOKEN; prefer the variable: arguments show in ps)")
    String token;

    @Option(names = "--insecure-no-worker-token", defaultValue = "${env:CDNODES_INSECURE_NO_WORKER_TOKEN:-false}",
            description = "run without a token, for a coordinator started with CDNODES_INSECURE_NO_WORKER_TOKEN=true "
                    + "(env CDNODES_INSECURE_NO_WORKER_TOKEN)")
    boolean insecureNoToken;

    @Option(names = "--tls-fingerprint", defaultValue = "${env:CDNODES_TLS_FINGERPRINT}",
            description = "trust exactly the coordinator certificate with this SHA-256 (64 hex digits, as the "
                    + "coordinator logs it and writes it to DATA/tls/cdproto.sha256; env CDNODES_TLS_FINGERPRINT)")
    String tlsFingerprint;

    @Option(names = "--tls-ca", defaultValue = "${env:CDNODES_TLS_CA}",
            description = "trust coordinator certificates issued by the CA certificates in this PEM file for the host "
                    + "dialled (the coordinator's own DATA/tls/cdproto.crt will do; env CDNODES_TLS_CA)")
    Path tlsCa;

    @Option(names = "--plain-tcp", defaultValue = "${env:CDNODES_PLAIN_TCP:-false}",
            description = "speak to a tcp:// coordinator without TLS, for one started with CDNODES_PROTO_TLS=false: "
                    + "the token and all work cross the network in clear (env CDNODES_PLAIN_TCP)")
    boolean plainTcp;

    /** @throws IllegalArgumentException with a message for the user */
    Endpoint endpoint() {
        return Endpoint.parse(coordinator);
    }

    /** The token given, or empty. */
    String token() {
        return token == null ? "" : token;
    }

    /**
     * How the coordinator's certificate is checked, from --tls-fingerprint or --tls-ca; null for neither.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    CoordinatorTrust trust() {
        boolean pinned = tlsFingerprint != null && !tlsFingerprint.isBlank();
        if (pinned && tlsCa != null) {
            throw new IllegalArgumentException("give --tls-fingerprint or --tls-ca, not both");
        }
        if (pinned) {
            return CoordinatorTrust.pinned(Fingerprint.parse(tlsFingerprint));
        }
        if (tlsCa == null) {
            return null;
        }
        try {
            return CoordinatorTrust.authorities(Pem.readCertificates(tlsCa), tlsCa.toString());
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("--tls-ca " + tlsCa + " cannot be read: " + e.getMessage(), e);
        }
    }
}
