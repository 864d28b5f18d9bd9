package io.cdnodes.connector.inbound;

import io.cdnodes.connector.api.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketCredentials;

/** Opens the two kinds of listener. */
final class Listeners {

    private static final System.Logger LOG = System.getLogger(Listeners.class.getName());
    /** sun_path holds 108 bytes on Linux, including the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;

    private Listeners() {
    }

    static SocketListener tcp(ConnectorSettings s, ConnectionRegistry registry, EventSink sink, ThreadFactory threads)
            throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(s.protoHost()), s.protoPort()), 128);
        String local = Addresses.of(server.getLocalSocketAddress());
        return new SocketListener(server, Transport.TCP, local, socket -> Addresses.of(socket.getRemoteSocketAddress()),
                s, registry, sink, threads);
    }

    static SocketListener unix(ConnectorSettings s, ConnectionRegistry registry, EventSink sink, ThreadFactory threads)
            throws IOException {
        Path path = s.socketPath();
        if (path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new IOException("Unix socket path is longer than " + MAX_SOCKET_PATH + " bytes: " + path
                    + " (set CDNODES_SOCKET to a shorter path)");
        }
        Files.createDirectories(path.getParent());
        removeStaleSocket(path);
        AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
        server.bind(AFUNIXSocketAddress.of(path.toFile()), 128);
        String local = "unix:" + path;
        return new SocketListener(server, Transport.UNIX, local, Listeners::unixPeer, s, registry, sink, threads);
    }

    private static String unixPeer(Socket socket) {
        try {
            AFUNIXSocketCredentials c = ((AFUNIXSocket) socket).getPeerCredentials();
            return c.getPid() > 0 ? "unix:pid=" + c.getPid() : "unix:uid=" + c.getUid();
        } catch (IOException | RuntimeException e) {
            return "unix:peer";
        }
    }

    /** A socket file left by a killed coordinator is removed; one a live coordinator answers on is kept. */
    private static void removeStaleSocket(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (AFUNIXSocket probe = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path.toFile()))) {
            throw new IOException("another process is listening on " + path);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("another process")) {
                throw e;
            }
            LOG.log(System.Logger.Level.INFO, "removing stale socket {0}", path);
            Files.deleteIfExists(path);
        }
    }
}
