package io.cdnodes.agent.link;

/**
 * What the agent reports about itself, for logs and for tests that wait for a state. Implementations must
 * be thread-safe and return quickly.
 */
public interface AgentListener {

    /** A link to the coordinator is established: the coordinator welcomed this worker. */
    default void connected(String endpoint, String workerId) {
    }

    /** The link ended; the agent tries again after {@code retryMillis} (negative: it will not). */
    default void disconnected(String reason, long retryMillis) {
    }

    /** A heartbeat went to the coordinator over an established link: the worker is connected and alive. */
    default void heartbeatSent() {
    }

    /** Something worth a line in the log. */
    default void status(String message) {
    }

    /** Something went wrong that the agent survives. */
    default void problem(String message, Throwable cause) {
    }

    /** Logs through {@link System.Logger}. */
    AgentListener LOGGING = new AgentListener() {
        private final System.Logger log = System.getLogger("io.cdnodes.agent");

        @Override
        public void connected(String endpoint, String workerId) {
            log.log(System.Logger.Level.INFO, "connected to {0} as {1}", endpoint, workerId);
        }

        @Override
        public void disconnected(String reason, long retryMillis) {
            log.log(System.Logger.Level.INFO, retryMillis < 0 ? "disconnected: " + reason
                    : "disconnected: " + reason + "; retrying in " + retryMillis + " ms");
        }

        @Override
        public void status(String message) {
            log.log(System.Logger.Level.INFO, message);
        }

        @Override
        public void problem(String message, Throwable cause) {
            log.log(System.Logger.Level.WARNING, message + (cause == null ? "" : ": " + cause));
        }
    };
}
