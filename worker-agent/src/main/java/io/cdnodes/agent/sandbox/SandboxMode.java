package io.cdnodes.agent.sandbox;

import java.util.Locale;

/** The worker's {@code --sandbox} setting ({@code CDNODES_SANDBOX}). */
public enum SandboxMode {
    /** Sandbox when a real sandboxed command works at start; otherwise warn loudly and run unsandboxed. */
    AUTO,
    /** Sandbox, or refuse to start ({@link io.cdnodes.agent.ExitCodes#NO_SANDBOX}). */
    REQUIRED,
    /** Never sandbox: every test can read and write whatever the worker's user can. */
    OFF;

    /** {@code auto}, {@code required} or {@code off}, in any case. */
    public static SandboxMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("--sandbox must be auto, required or off: " + value);
        }
    }
}
