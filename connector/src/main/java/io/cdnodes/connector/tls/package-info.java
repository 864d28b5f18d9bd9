/**
 * The certificate CDProto's TLS listener presents: brought by the admin as a PKCS#12 keystore, or generated on
 * the first start (with the JDK's {@code keytool}) under {@code $CDNODES_DATA_DIR/tls/} and reused after, with
 * its SHA-256 fingerprint published for workers to pin.
 */
package io.cdnodes.connector.tls;
