package io.cdnodes.connector.inbound;

import io.cdnodes.connector.api.Transport;
import io.cdnodes.protocol.codec.FrameEncoder;
import io.cdnodes.protocol.frame.ErrorFrame;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import java.util.function.Function;

/**
 * Accepts worker connections on one server socket (TCP, or a junixsocket Unix socket: both are
 * {@link ServerSocket}s) and starts a {@link WorkerConnection} for each that {@link Admission} lets in. A refused
 * peer is told why in one ERROR frame, except on a TLS listener, where it could not read it: there it is closed.
 */
final class SocketListener {

    private static final System.Logger LOG = System.getLogger(SocketListener.class.getName());

    private final ServerSocket server;
    private final Transport transport;
    private final String localAddress;
    private final Function<Socket, Admission.Peer> peerOf;
    private final Admission admission;
    private final TlsHandshake tls;
    private final Runnable onStop;
    private final ConnectorSettings settings;
    private final ConnectionRegistry registry;
    private final EventSink sink;
    private final AdapterThreads threads;
    private volatile boolean running = true;

    /**
     * @param tls    the handshake each connection starts with; null for plain CDProto
     * @param onStop run after the server socket is closed (removes a Unix socket's file)
     */
    SocketListener(ServerSocket server, Transport transport, String localAddress, Function<Socket, Admission.Peer> peerOf,
                   Admission admission, TlsHandshake tls, Runnable onStop, ConnectorSettings settings,
                   ConnectionRegistry registry, EventSink sink, AdapterThreads threads) {
        this.server = server;
        this.transport = transport;
        this.localAddress = localAddress;
        this.peerOf = peerOf;
        this.admission = admission;
        this.tls = tls;
        this.onStop = onStop;
        this.settings = settings;
        this.registry = registry;
        this.sink = sink;
        this.threads = threads;
    }

    String localAddress() {
        return localAddress;
    }

    void start() {
        threads.start("cdproto-accept-" + transport.name().toLowerCase(java.util.Locale.ROOT), this::acceptLoop,
                why -> {
                    LOG.log(System.Logger.Level.ERROR, "CDProto is not listening on {0}: no thread for its accept "
                            + "loop ({1})", localAddress, why);
                    stop();
                });
    }

    void stop() {
        running = false;
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing listener " + localAddress, e);
        }
        onStop.run();
    }

    private void acceptLoop() {
        LOG.log(System.Logger.Level.INFO, "CDProto listening on {0}{1}", localAddress,
                tls != null ? " (TLS 1.3)" : transport == Transport.TCP ? " (plain TCP)" : "");
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
        Admission.Peer peer = peerOf.apply(socket);
        Optional<ErrorFrame> refusal = admission.judge(peer, registry.load(peer.host()));
        if (refusal.isPresent()) {
            LOG.log(System.Logger.Level.WARNING, "refusing {0} on {1}: {2}", peer.address(), localAddress,
                    refusal.get().message());
            refuse(socket, refusal.get());
            return;
        }
        try {
            socket.setTcpNoDelay(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not a TCP socket: nothing to tune
        }
        WorkerConnection connection = new WorkerConnection(registry.nextId(), socket, transport, localAddress, peer,
                settings, tls, registry, sink);
        registry.add(connection);
        connection.start(threads);
    }

    private void refuse(Socket socket, ErrorFrame error) {
        if (tls == null) {
            try {
                socket.setSoTimeout(1000);
                socket.getOutputStream().write(new FrameEncoder(settings.limits()).encode(error));
            } catch (IOException e) {
                // the peer is gone already
            }
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
