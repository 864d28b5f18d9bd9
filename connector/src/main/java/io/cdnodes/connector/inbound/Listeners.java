package io.cdnodes.connector.inbound;

import io.cdnodes.connector.api.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import javax.net.ssl.SSLContext;
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

    /**
     * The TCP listener.
     *
     * @param tls the server context for TLS 1.3; null for plain TCP
     */
    static SocketListener tcp(ConnectorSettings s, SSLContext tls, ConnectionRegistry registry, EventSink sink,
                              AdapterThreads threads) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(s.protoHost()), s.protoPort()), 128);
        String local = Addresses.of(server.getLocalSocketAddress());
        return new SocketListener(server, Transport.TCP, local,
                socket -> Admission.Peer.tcp(Addresses.of(socket.getRemoteSocketAddress()),
                        Addresses.group(socket.getInetAddress())),
                new Admission(s.maxConnections(), s.maxPendingConnections(), s.maxConnectionsPerAddress(), Set.of()),
                tls == null ? null : new TlsHandshake(tls), () -> { }, s, registry, sink, threads);
    }

    /**
     * The Unix-socket listener. The socket is bound in a folder only this process's user may enter, given its final
     * mode there (0600, or 0666 when {@link ConnectorSettings#socketUids()} lets other users in), and only then
     * linked to its path: at no moment can anyone else reach it sooner. (A hard link, not a move: junixsocket
     * refuses connections once the path it bound is gone.) Peers are admitted by the uid the kernel gives for
     * them: the coordinator's own, and those listed.
     */
    static SocketListener unix(ConnectorSettings s, ConnectionRegistry registry, EventSink sink, AdapterThreads threads)
            throws IOException {
        Path path = s.socketPath();
        checkLength(path, "Unix socket path is longer than " + MAX_SOCKET_PATH + " bytes: " + path
                + " (set CDNODES_SOCKET to a shorter path)");
        Files.createDirectories(path.getParent());
        removeStaleSocket(path);
        Path staging = stagingFolder(path);
        Path bound = staging.resolve("s");
        AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
        try {
            server.bind(AFUNIXSocketAddress.of(bound.toFile()), 128);
            setMode(bound, s.socketUids().isEmpty() ? "rw-------" : "rw-rw-rw-");
            Files.createLink(path, bound);
        } catch (IOException | RuntimeException e) {
            server.close();
            deleteQuietly(bound);
            deleteQuietly(staging);
            throw e;
        }
        Set<Integer> allowed = new HashSet<>(s.socketUids());
        allowed.add((Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        return new SocketListener(server, Transport.UNIX, "unix:" + path, Listeners::unixPeer,
                new Admission(s.maxConnections(), s.maxPendingConnections(), s.maxConnectionsPerAddress(), allowed),
                null, () -> {
                    deleteQuietly(path);
                    deleteQuietly(bound);
                    deleteQuietly(staging);
                }, s, registry, sink, threads);
    }

    /**
     * The folder the socket is bound in, next to it ({@code .cdproto.sock.d}) and entered by this user only; one
     * left by a coordinator that was killed is replaced.
     */
    private static Path stagingFolder(Path path) throws IOException {
        Path dir = path.resolveSibling("." + path.getFileName() + ".d");
        checkLength(dir.resolve("s"), "the folder of CDNODES_SOCKET " + path + " leaves no room for the private "
                + "folder the socket is made in (" + dir + "/s is longer than " + MAX_SOCKET_PATH + " bytes)");
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            deleteQuietly(dir.resolve("s"));
            Files.delete(dir);
        }
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rwx------")))
                : Files.createDirectory(dir);
    }

    private static void checkLength(Path path, String message) throws IOException {
        if (path.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new IOException(message);
        }
    }

    private static void setMode(Path path, String mode) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        }
    }

    /** The peer's address for /network ({@code unix:pid=N}) and its uid; an unknown uid is -1 (refused). */
    private static Admission.Peer unixPeer(Socket socket) {
        try {
            AFUNIXSocketCredentials c = ((AFUNIXSocket) socket).getPeerCredentials();
            String address = c.getPid() > 0 ? "unix:pid=" + c.getPid() : "unix:uid=" + c.getUid();
            return Admission.Peer.unix(address, c.getUid() >= 0 && c.getUid() <= Integer.MAX_VALUE
                    ? (int) c.getUid() : -1);
        } catch (IOException | RuntimeException e) {
            return Admission.Peer.unix("unix:peer", -1);
        }
    }

    /** A socket file left by a killed coordinator is removed; one a live coordinator answers on is kept. */
    private static void removeStaleSocket(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
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

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "removing " + path, e);
        }
    }
}
