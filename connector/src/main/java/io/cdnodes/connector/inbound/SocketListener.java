package io.cdnodes.connector.inbound;

import io.cdnodes.connector.api.Transport;
import io.cdnodes.protocol.codec.FrameEncoder;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

/**
 * Accepts worker connections on one server socket (TCP, or a junixsocket Unix socket: both are
 * {@link ServerSocket}s) and starts a {@link WorkerConnection} for each, refusing connections above the
 * adapter's limit with a TOO_MANY_CONNECTIONS error.
 */
final class SocketListener {

    private static final System.Logger LOG = System.getLogger(SocketListener.class.getName());

    private final ServerSocket server;
    private final Transport transport;
    private final String localAddress;
    private final Function<Socket, String> remoteAddress;
    private final ConnectorSettings settings;
    private final ConnectionRegistry registry;
    private final EventSink sink;
    private final ThreadFactory threads;
    private volatile boolean running = true;

    SocketListener(ServerSocket server, Transport transport, String localAddress, Function<Socket, String> remoteAddress,
                   ConnectorSettings settings, ConnectionRegistry registry, EventSink sink, ThreadFactory threads) {
        this.server = server;
        this.transport = transport;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.settings = settings;
        this.registry = registry;
        this.sink = sink;
        this.threads = threads;
    }

    String localAddress() {
        return localAddress;
    }

    void start() {
        Thread t = threads.newThread(this::acceptLoop);
        t.setName("cdproto-accept-" + transport.name().toLowerCase(java.util.Locale.ROOT));
        t.start();
    }

    void stop() {
        running = false;
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing listener " + localAddress, e);
        }
    }

    private void acceptLoop() {
        LOG.log(System.Logger.Level.INFO, "CDProto listening on {0}", localAddress);
        while (running) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (running) {
                    LOG.log(System.Logger.Level.WARNING, "accept on {0} failed: {1}", localAddress, e.getMessage());
                    pause();
                }
                continue;
            }
            try {
                admit(socket);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "admitting a connection on " + localAddress + " failed", e);
                quietClose(socket);
            }
        }
        LOG.log(System.Logger.Level.INFO, "CDProto listener on {0} stopped", localAddress);
    }

    private void admit(Socket socket) {
        String remote = remoteAddress.apply(socket);
        if (registry.size() >= settings.maxConnections()) {
            LOG.log(System.Logger.Level.WARNING, "refusing {0}: {1} connections open", remote, registry.size());
            refuse(socket);
            return;
        }
        try {
            socket.setTcpNoDelay(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not a TCP socket: nothing to tune
        }
        String id = registry.nextId();
        WorkerConnection connection = new WorkerConnection(id, socket, transport, localAddress, remote, settings,
                sink, () -> registry.remove(id));
        registry.add(connection);
        connection.start(threads);
    }

    private void refuse(Socket socket) {
        try {
            socket.setSoTimeout(1000);
            socket.getOutputStream().write(new FrameEncoder(settings.limits()).encode(
                    new ErrorFrame(ErrorCode.TOO_MANY_CONNECTIONS, "the coordinator holds "
                            + settings.maxConnections() + " connections already")));
        } catch (IOException e) {
            // the peer is gone already
        }
        quietClose(socket);
    }

    private static void quietClose(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
