/**
 * CDProto over TLS 1.3 (PROTOCOL.md, section 1): what a certificate's SHA-256 fingerprint is, PEM files, and
 * how a worker decides to trust a coordinator ({@link io.cdnodes.protocol.tls.CoordinatorTrust}: a pinned
 * fingerprint, or certificate authorities and the host name). JDK only; the coordinator's side of the
 * handshake lives in the connector.
 */
package io.cdnodes.protocol.tls;
