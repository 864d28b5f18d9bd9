package io.cdnodes.connector.tls;

import io.cdnodes.protocol.tls.Fingerprint;
import io.cdnodes.protocol.tls.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The coordinator's TLS folder ({@code $CDNODES_DATA_DIR/tls}): {@value #KEY} (the generated private key, PKCS#8
 * PEM, mode 0600), {@value #CERTIFICATE} (the certificate in use, PEM) and {@value #FINGERPRINT} (its SHA-256,
 * one line of hex). The folder is readable by others (0755) so that workers, in other containers, can read the
 * certificate; the key file is the owner's alone. A folder that only publishes the certificate and fingerprint
 * ({@code CDNODES_TLS_PUBLISH_DIR}) is a {@code CertificateFiles} too, which never gets a key.
 *
 * <p>A certificate is generated with the JDK's {@code keytool} rather than a library: the JDK has no public API
 * to build an X.509 certificate, {@code keytool} ships with every JDK and JRE that runs the coordinator, and it
 * runs once, on the first start. Bouncy Castle would add about 9 MB to the adapter for that one moment.
 */
final class CertificateFiles {

    static final String KEY = "cdproto.key";
    static final String CERTIFICATE = "cdproto.crt";
    static final String FINGERPRINT = "cdproto.sha256";
    /** Ten years: a generated certificate is pinned by workers; expiring, it would be replaced and their pins break. */
    static final int VALIDITY_DAYS = 3650;

    private static final System.Logger LOG = System.getLogger(CertificateFiles.class.getName());
    private static final long KEYTOOL_TIMEOUT_S = 120;
    private static final String SECRET_VARIABLE = "CDNODES_KEYTOOL_SECRET";

    private final Path dir;

    CertificateFiles(Path dir) {
        this.dir = dir;
    }

    /** The key and certificate generated on an earlier start if they still serve, else new ones. */
    ServerIdentity loadOrGenerate(List<String> names, Instant now) throws IOException, GeneralSecurityException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            setMode(dir, "rwxr-xr-x");
        }
        String unusable;
        try {
            unusable = unusable(names, now);
        } catch (IOException | GeneralSecurityException e) {
            unusable = "it cannot be read (" + e.getMessage() + ")";
        }
        if (unusable == null) {
            setMode(dir.resolve(KEY), "rw-------");
            return read("reused from " + dir);
        }
        if (Files.exists(dir.resolve(KEY))) {
            LOG.log(System.Logger.Level.WARNING, "the CDProto certificate in {0} is replaced because {1}: workers "
                    + "that pinned its fingerprint must be given the new one", dir, unusable);
        }
        generate(names);
        return read("generated in " + dir);
    }

    /** Writes the certificate chain in use and its fingerprint where workers and {@code ./cdnodes} read them. */
    void publish(List<X509Certificate> chain) throws IOException, CertificateException {
        Files.createDirectories(dir);
        StringBuilder pem = new StringBuilder();
        for (X509Certificate c : chain) {
            pem.append(Pem.certificate(c));
        }
        writeIfChanged(CERTIFICATE, pem.toString(), "rw-r--r--");
        writeIfChanged(FINGERPRINT, Fingerprint.of(chain.get(0)) + "\n", "rw-r--r--");
    }

    /**
     * Moves a key (and its certificate) out of {@code other}, a folder workers can read, into this one: kept when this
     * folder has no key yet (so that the certificate, and the workers' pins, stay the same), else only removed.
     */
    void takeKeyFrom(CertificateFiles other) throws IOException {
        Path key = other.dir.resolve(KEY);
        if (!Files.exists(key)) {
            return;
        }
        if (!Files.exists(dir.resolve(KEY)) && Files.exists(other.dir.resolve(CERTIFICATE))) {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                setMode(dir, "rwxr-xr-x");
            }
            write(KEY, Files.readString(key, StandardCharsets.US_ASCII), "rw-------");
            write(CERTIFICATE, Files.readString(other.dir.resolve(CERTIFICATE), StandardCharsets.US_ASCII), "rw-r--r--");
            LOG.log(System.Logger.Level.WARNING, "the CDProto key was in {0}, which workers read: moved to {1}",
                    other.dir, dir);
        } else {
            LOG.log(System.Logger.Level.WARNING, "removing a CDProto key from {0}, which workers read", other.dir);
        }
        Files.delete(key);
    }

    /** Why the stored key and certificate cannot be used again; null when they can. */
    private String unusable(List<String> names, Instant now) throws IOException, GeneralSecurityException {
        if (!Files.exists(dir.resolve(KEY)) || !Files.exists(dir.resolve(CERTIFICATE))) {
            return "there is none";
        }
        ServerIdentity stored = read("stored");
        if (!signs(stored.key(), stored.certificate())) {
            return CERTIFICATE + " is not the certificate of " + KEY;
        }
        try {
            stored.certificate().checkValidity(Date.from(now));
        } catch (CertificateException e) {
            return "it is not valid now (" + e.getMessage() + ")";
        }
        List<String> missing = SubjectNames.missing(stored.certificate(), names);
        return missing.isEmpty() ? null : "it does not name " + String.join(", ", missing);
    }

    private ServerIdentity read(String origin) throws IOException, GeneralSecurityException {
        PrivateKey key = Pem.privateKey(Files.readString(dir.resolve(KEY), StandardCharsets.US_ASCII));
        List<X509Certificate> chain = Pem.readCertificates(dir.resolve(CERTIFICATE));
        return new ServerIdentity(key, chain, Fingerprint.of(chain.get(0)), origin);
    }

    private static boolean signs(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> key.getAlgorithm();
        };
        byte[] probe = "cdnodes key check".getBytes(StandardCharsets.US_ASCII);
        Signature sign = Signature.getInstance(algorithm);
        sign.initSign(key);
        sign.update(probe);
        byte[] signature = sign.sign();
        Signature verify = Signature.getInstance(algorithm);
        verify.initVerify(certificate.getPublicKey());
        verify.update(probe);
        return verify.verify(signature);
    }

    /** A new EC P-256 key and a self-signed certificate naming {@code names} and this host, made by keytool. */
    private void generate(List<String> names) throws IOException, GeneralSecurityException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IOException("cannot generate a TLS certificate: there is no " + keytool + "; give the "
                    + "coordinator one with CDNODES_TLS_KEYSTORE and CDNODES_TLS_KEYSTORE_PASSWORD");
        }
        Path work = createPrivateDirectory(dir, ".keytool-");
        try {
            Path store = work.resolve("new.p12");
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            run(List.of(keytool.toString(), "-genkeypair", "-alias", "cdproto", "-keyalg", "EC", "-groupname",
                    "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", Integer.toString(VALIDITY_DAYS),
                    "-dname", "CN=CD Nodes coordinator", "-ext", "SAN=" + SubjectNames.keytoolValue(withHostName(names)),
                    "-ext", "KU=digitalSignature", "-ext", "EKU=serverAuth", "-keystore", store.toString(),
                    "-storetype", "PKCS12", "-storepass:env", SECRET_VARIABLE), secret);
            ServerIdentity made = ServerIdentity.fromKeystore(store, secret);
            write(KEY, Pem.privateKey(made.key()), "rw-------");
            write(CERTIFICATE, Pem.certificate(made.certificate()), "rw-r--r--");
        } finally {
            deleteTree(work);
        }
    }

    private static void run(List<String> command, String secret) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        // the password goes by environment: arguments show in ps
        pb.environment().put(SECRET_VARIABLE, secret);
        Process p = pb.start();
        try (InputStream out = p.getInputStream()) {
            byte[] text = out.readNBytes(8192);
            if (!p.waitFor(KEYTOOL_TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool did not finish within " + KEYTOOL_TIMEOUT_S + " s");
            }
            if (p.exitValue() != 0) {
                throw new IOException("keytool failed (exit " + p.exitValue() + "): "
                        + new String(text, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
    }

    private static List<String> withHostName(List<String> names) {
        Set<String> all = new LinkedHashSet<>(names);
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (host.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
                all.add(host.toLowerCase(Locale.ROOT));
            }
        } catch (IOException e) {
            // no host name: the configured names are enough
        }
        return new ArrayList<>(all);
    }

    private void writeIfChanged(String name, String content, String mode) throws IOException {
        Path file = dir.resolve(name);
        if (Files.exists(file) && Files.readString(file, StandardCharsets.US_ASCII).equals(content)) {
            return;
        }
        write(name, content, mode);
    }

    /** Writes a file whole, created with its final mode (no moment where it is readable by more) and renamed. */
    private void write(String name, String content, String mode) throws IOException {
        Path tmp = posix()
                ? Files.createTempFile(dir, "." + name + "-", ".part", attribute(mode))
                : Files.createTempFile(dir, "." + name + "-", ".part");
        try {
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Path createPrivateDirectory(Path parent, String prefix) throws IOException {
        return posix() ? Files.createTempDirectory(parent, prefix, attribute("rwx------"))
                : Files.createTempDirectory(parent, prefix);
    }

    private static void setMode(Path path, String mode) throws IOException {
        if (posix()) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        }
    }

    private static FileAttribute<?> attribute(String mode) {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode));
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
