package io.cdnodes.connector.api;

import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.frame.Frame;
import java.nio.file.Path;
import java.util.List;

/**
 * A handle for pushing to workers, obtained from a {@link WorkerGatewayFactory} and closed after use.
 * Sends never block the caller: frames are queued per connection and written in order by the adapter; a
 * connection whose queue overflows (a worker that stopped reading) is closed.
 */
public interface WorkerGateway extends AutoCloseable {

    /**
     * Queues a frame for a worker.
     *
     * @return false when the connection is not (or no longer) open
     */
    boolean send(String connectionId, Frame frame);

    /**
     * Queues a whole package transfer (BEGIN, CHUNKs, END) read from {@code file}, after every frame
     * already queued and before every frame queued later.
     *
     * @return false when the connection is not open
     */
    boolean sendPackage(String connectionId, String packageId, Path file);

    /** Sends {@code error} (when not null) and closes the connection. */
    void disconnect(String connectionId, ErrorFrame error);

    /** The established connections now. */
    List<ConnectionInfo> connections();

    /** The addresses the coordinator listens on ({@code 127.0.0.1:7000}, {@code unix:/path}). */
    List<String> listenAddresses();

    /** Returns the handle to the pool; the connections it talked to stay open. */
    @Override
    void close();
}
