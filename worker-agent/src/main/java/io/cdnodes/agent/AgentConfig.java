package io.cdnodes.agent;

import io.cdnodes.agent.sandbox.SandboxSettings;
import io.cdnodes.protocol.tls.CoordinatorTrust;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The agent's whole configuration, validated once. {@link #toString()} never shows the token.
 *
 * @param coordinator      where to connect
 * @param token            the worker token ({@code CDNODES_WORKER_TOKEN}); empty only with {@code insecureNoToken}
 * @param name             the worker's name
 * @param slots            pytest processes at once
 * @param workDir          packages, runs and the plugin live here
 * @param python           the Python executable that has pytest
 * @param maxPackages      unpacked packages kept at most
 * @param maxPackageBytes  the largest package accepted
 * @param backoffMin       first reconnect delay
 * @param backoffMax       longest reconnect delay
 * @param maxOutputBytes   pytest output kept per run (head and tail), the rest is dropped
 * @param maxMessageChars  longest failure text sent per test
 * @param tls              how a {@code tcp://} coordinator's TLS certificate is checked; null for plain TCP (and
 *                         unused on a Unix socket)
 * @param plainTcp         {@code --plain-tcp}: a {@code tcp://} coordinator is spoken to without TLS, as asked for
 * @param insecureNoToken  {@code --insecure-no-worker-token}: running without a token is meant
 * @param sandbox          how runs are sandboxed
 */
public record AgentConfig(Endpoint coordinator, String token, String name, int slots, Path workDir, String python,
                          int maxPackages, long maxPackageBytes, Duration backoffMin, Duration backoffMax,
                          long maxOutputBytes, int maxMessageChars, CoordinatorTrust tls, boolean plainTcp,
                          boolean insecureNoToken, SandboxSettings sandbox) {

    /** Longer tokens would not fit into a HELLO, which a coordinator holds to 8 KiB before it knows the worker. */
    static final int MAX_TOKEN_BYTES = 1024;

    /** A configuration with the default sandbox settings ({@code auto}). */
    public AgentConfig(Endpoint coordinator, String token, String name, int slots, Path workDir, String python,
                       int maxPackages, long maxPackageBytes, Duration backoffMin, Duration backoffMax,
                       long maxOutputBytes, int maxMessageChars, CoordinatorTrust tls, boolean plainTcp,
                       boolean insecureNoToken) {
        this(coordinator, token, name, slots, workDir, python, maxPackages, maxPackageBytes, backoffMin, backoffMax,
                maxOutputBytes, maxMessageChars, tls, plainTcp, insecureNoToken, SandboxSettings.defaults());
    }

    public AgentConfig {
        Objects.requireNonNull(coordinator, "coordinator");
        Objects.requireNonNull(token, "token");
        if (token.isEmpty() && !insecureNoToken) {
            throw new IllegalArgumentException("no worker token: set CDNODES_WORKER_TOKEN (./cdnodes worker reads the "
                    + "coordinator's $CDNODES_DATA_DIR/worker.token), or --insecure-no-worker-token for a coordinator "
                    + "started with CDNODES_INSECURE_NO_WORKER_TOKEN=true");
        }
        if (token.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_TOKEN_BYTES) {
            throw new IllegalArgumentException("the worker token is longer than " + MAX_TOKEN_BYTES + " bytes: it "
                    + "would not fit into a HELLO");
        }
        if (tls != null && plainTcp) {
            throw new IllegalArgumentException("--plain-tcp and --tls-fingerprint/--tls-ca exclude each other");
        }
        if (coordinator instanceof Endpoint.Tcp && tls == null && !plainTcp) {
            throw new IllegalArgumentException("a tcp:// coordinator speaks TLS: give --tls-fingerprint (the SHA-256 "
                    + "the coordinator logs and writes to $CDNODES_DATA_DIR/tls/cdproto.sha256) or --tls-ca FILE "
                    + "(PEM), or --plain-tcp for a coordinator started with CDNODES_PROTO_TLS=false");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("worker name must be 1..200 characters");
        }
        if (slots < 1 || slots > 256) {
            throw new IllegalArgumentException("slots must be 1..256: " + slots);
        }
        Objects.requireNonNull(workDir, "workDir");
        if (python == null || python.isBlank()) {
            throw new IllegalArgumentException("python executable must be given");
        }
        if (maxPackages < 1) {
            throw new IllegalArgumentException("maxPackages must be positive");
        }
        if (maxPackageBytes < 1) {
            throw new IllegalArgumentException("maxPackageBytes must be positive: " + maxPackageBytes);
        }
        if (maxOutputBytes < 1) {
            throw new IllegalArgumentException("maxOutputBytes must be positive: " + maxOutputBytes);
        }
        // the plugin cuts messages to maxMessageChars - 1 characters and an ellipsis: 0 would not bound them
        if (maxMessageChars < 1) {
            throw new IllegalArgumentException("maxMessageChars must be positive: " + maxMessageChars);
        }
        Objects.requireNonNull(backoffMin, "backoffMin");
        Objects.requireNonNull(backoffMax, "backoffMax");
        if (backoffMin.isNegative() || backoffMin.isZero() || backoffMax.compareTo(backoffMin) < 0) {
            throw new IllegalArgumentException("back-off must satisfy 0 < min <= max");
        }
        Objects.requireNonNull(sandbox, "sandbox");
    }

    @Override
    public String toString() {
        return "AgentConfig[coordinator=" + coordinator + ", token=" + (token.isEmpty() ? "<none>" : "<redacted>")
                + ", name=" + name + ", slots=" + slots + ", workDir=" + workDir + ", python=" + python + ", tls="
                + (tls != null ? tls : plainTcp ? "off (--plain-tcp)" : "none") + ", sandbox=" + sandbox.mode() + "]";
    }
}
