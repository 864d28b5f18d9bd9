package io.cdnodes.connector.api;

import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Hello;
import java.util.List;
import java.util.Objects;

/**
 * What happens on a worker connection, in order: one {@link Connected}, any number of {@link Received},
 * one {@link Disconnected}. Only authenticated workers produce events.
 */
public sealed interface WorkerEvent permits WorkerEvent.Connected, WorkerEvent.Received, WorkerEvent.Disconnected {

    /** The connection the event belongs to. */
    String connectionId();

    /**
     * A worker completed its handshake.
     *
     * @param connectionId  the connection's id, also sent to the worker as its worker id
     * @param transport     TCP or Unix socket
     * @param localAddress  the coordinator's end ({@code 127.0.0.1:7000}, {@code unix:/path/cdproto.sock})
     * @param remoteAddress the worker's end ({@code 10.0.0.5:41000}, {@code unix:pid=1234})
     * @param name          the worker's name
     * @param slots         how many pytest processes it is given work for: what it announced, at most the
     *                      coordinator's {@code CDNODES_MAX_SLOTS_PER_WORKER}
     * @param pythonVersion the worker's Python
     * @param pytestVersion the worker's pytest
     * @param cachedPackages the packages the worker already holds
     * @param sandboxed     whether the worker runs every process of a project in a sandbox
     */
    record Connected(String connectionId, Transport transport, String localAddress, String remoteAddress,
                     String name, int slots, String pythonVersion, String pytestVersion,
                     List<String> cachedPackages, boolean sandboxed) implements WorkerEvent {

        public Connected {
            Objects.requireNonNull(connectionId, "connectionId");
            cachedPackages = List.copyOf(cachedPackages);
        }

        /** The event of a worker that does not sandbox its runs. */
        public Connected(String connectionId, Transport transport, String localAddress, String remoteAddress,
                         String name, int slots, String pythonVersion, String pytestVersion,
                         List<String> cachedPackages) {
            this(connectionId, transport, localAddress, remoteAddress, name, slots, pythonVersion, pytestVersion,
                    cachedPackages, false);
        }

        /** The event for an accepted HELLO; the token is not carried over. */
        public static Connected of(String connectionId, Transport transport, String local, String remote, Hello hello) {
            return of(connectionId, transport, local, remote, hello, hello.slots());
        }

        /** The event for an accepted HELLO whose worker is given {@code slots} (at most what it announced). */
        public static Connected of(String connectionId, Transport transport, String local, String remote, Hello hello,
                                   int slots) {
            return new Connected(connectionId, transport, local, remote, hello.workerName(), slots,
                    hello.pythonVersion(), hello.pytestVersion(), hello.cachedPackages(), hello.sandboxed());
        }
    }

    /** A frame arrived from an established worker. */
    record Received(String connectionId, Frame frame) implements WorkerEvent {

        public Received {
            Objects.requireNonNull(connectionId, "connectionId");
            Objects.requireNonNull(frame, "frame");
        }
    }

    /** The connection is gone; nothing more arrives on it. */
    record Disconnected(String connectionId, String reason) implements WorkerEvent {

        public Disconnected {
            Objects.requireNonNull(connectionId, "connectionId");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
