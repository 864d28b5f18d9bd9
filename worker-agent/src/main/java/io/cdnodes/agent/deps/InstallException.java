package io.cdnodes.agent.deps;

/** The test dependencies could not be made ready; the message is for the user (it carries pip's own words). */
public final class InstallException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean cancelled;

    public InstallException(String message) {
        this(message, false);
    }

    public InstallException(String message, boolean cancelled) {
        super(message);
        this.cancelled = cancelled;
    }

    /** True when the installation was stopped because its assignment was cancelled, not because it failed. */
    public boolean cancelled() {
        return cancelled;
    }
}
