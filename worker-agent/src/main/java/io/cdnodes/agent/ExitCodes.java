package io.cdnodes.agent;

/** The agent's exit codes. Documented in the module README; scripts rely on them. */
public final class ExitCodes {

    /** Stopped on request. */
    public static final int OK = 0;
    /** The command line or the environment is not valid. */
    public static final int USAGE = 2;
    /** The coordinator refused the worker token. Retrying cannot help. */
    public static final int REFUSED = 3;
    /** The coordinator speaks another protocol version. */
    public static final int INCOMPATIBLE = 4;
    /** Python or pytest cannot be run on this machine. */
    public static final int NO_PYTEST = 5;
    /**
     * The coordinator's TLS certificate is not the one this worker trusts (another fingerprint, or not issued by
     * the CA file for the host dialled): it may be an impostor, so the token is not sent and nothing is retried.
     */
    public static final int UNTRUSTED = 6;
    /** {@code --sandbox required}, and this machine cannot sandbox (the log says why). */
    public static final int NO_SANDBOX = 7;
    /** The coordinator accepts only workers that sandbox their runs, and this one does not. */
    public static final int SANDBOX_REQUIRED = 8;

    private ExitCodes() {
    }
}
