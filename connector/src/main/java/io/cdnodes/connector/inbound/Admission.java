package io.cdnodes.connector.inbound;

import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a new connection may be held at all, decided at accept, before any thread or buffer is spent on it:
 * a Unix-socket peer must run as an allowed uid (the kernel says which); no more than the adapter's connections
 * in all; no more than a few from one IP address, so that one host cannot take every connection (generous, for
 * workers behind one NAT address). Local workers share the Unix socket and their uid, so the per-address cap
 * applies to TCP only.
 */
final class Admission {

    /** The far end of an accepted connection. */
    record Peer(String address, String host, OptionalInt uid) {

        /** A TCP peer: its address with and without the port. */
        static Peer tcp(String address, String host) {
            return new Peer(address, host, OptionalInt.empty());
        }

        /** A Unix-socket peer and its uid; -1 when the kernel would not tell. */
        static Peer unix(String address, int uid) {
            return new Peer(address, null, OptionalInt.of(uid));
        }
    }

    private final int maxConnections;
    private final int maxPerAddress;
    private final Set<Integer> allowedUids;

    Admission(int maxConnections, int maxPerAddress, Set<Integer> allowedUids) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.allowedUids = Set.copyOf(allowedUids);
    }

    /**
     * The refusal to send, if the peer may not connect.
     *
     * @param open         connections the adapter holds now
     * @param openFromHost of those, connections from the peer's host
     */
    Optional<ErrorFrame> judge(Peer peer, int open, int openFromHost) {
        if (peer.uid().isPresent() && !allowedUids.contains(peer.uid().getAsInt())) {
            int uid = peer.uid().getAsInt();
            return Optional.of(new ErrorFrame(ErrorCode.AUTHENTICATION_FAILED, (uid < 0 ? "a peer whose uid is unknown"
                    : "uid " + uid) + " may not use this socket: it accepts uid " + new TreeSet<>(allowedUids)
                    + " (CDNODES_SOCKET_UIDS lists more)"));
        }
        if (open >= maxConnections) {
            return Optional.of(new ErrorFrame(ErrorCode.TOO_MANY_CONNECTIONS, "the coordinator holds "
                    + maxConnections + " connections already"));
        }
        if (peer.host() != null && openFromHost >= maxPerAddress) {
            return Optional.of(new ErrorFrame(ErrorCode.TOO_MANY_CONNECTIONS, "the coordinator holds " + maxPerAddress
                    + " connections from " + peer.host() + " already (CDNODES_MAX_CONNECTIONS_PER_ADDRESS)"));
        }
        return Optional.empty();
    }
}
