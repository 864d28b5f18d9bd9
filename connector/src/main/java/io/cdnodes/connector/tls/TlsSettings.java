package io.cdnodes.connector.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How CDProto's TCP listener does TLS. {@link #toString()} never shows the keystore password.
 *
 * @param enabled          TLS 1.3 on the TCP listener ({@code CDNODES_PROTO_TLS}, true); false is plain TCP
 * @param dir              where the generated key and certificate live, and where the certificate in use and its
 *                         fingerprint are published ({@code $CDNODES_DATA_DIR/tls})
 * @param keystore         a PKCS#12 keystore holding the key and certificate to present instead
 *                         ({@code CDNODES_TLS_KEYSTORE}); null to generate one
 * @param keystorePassword its password ({@code CDNODES_TLS_KEYSTORE_PASSWORD}); null without a keystore
 * @param names            the host names and addresses a generated certificate must name, so that workers
 *                         checking it against a CA file ({@code --tls-ca}) accept it for the address they dial
 * @param publishDir       where the certificate in use and its fingerprint are published too, for workers to read
 *                         without seeing the key ({@code CDNODES_TLS_PUBLISH_DIR}); {@code dir} itself by default
 */
public record TlsSettings(boolean enabled, Path dir, Path keystore, String keystorePassword, List<String> names,
                          Path publishDir) {

    public TlsSettings {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(publishDir, "publishDir");
        names = List.copyOf(names);
        if (keystore != null && keystorePassword == null) {
            throw new IllegalArgumentException("CDNODES_TLS_KEYSTORE needs CDNODES_TLS_KEYSTORE_PASSWORD");
        }
    }

    /** Settings that publish in {@code dir} itself. */
    public TlsSettings(boolean enabled, Path dir, Path keystore, String keystorePassword, List<String> names) {
        this(enabled, dir, keystore, keystorePassword, names, dir);
    }

    /** Whether the certificate is published in a folder of its own, apart from the key. */
    public boolean publishesApart() {
        return !publishDir.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize());
    }

    @Override
    public String toString() {
        return "TlsSettings[enabled=" + enabled + ", dir=" + dir + ", keystore=" + keystore + ", keystorePassword="
                + (keystorePassword == null ? "<none>" : "<redacted>") + ", names=" + names + ", publishDir="
                + publishDir + "]";
    }
}
