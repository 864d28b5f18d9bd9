package io.cdnodes.connector.inbound;

import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a new connection may be held at all, decided at accept, before any thread or buffer is spent on it:
 * a Unix-socket peer must run as an allowed uid (the kernel says which); no more workers than the adapter takes;
 * no more TCP connections still in their handshake (TLS, then HELLO) than a budget of their own, so that peers
 * who never authenticate cannot take the places of workers; no more than a few from one IP address (one /64 for
 * IPv6, what one host is usually given), so that one host cannot take every connection (generous, for workers
 * behind one NAT address). Local workers share the Unix socket and their uid, so the handshake budget and the
 * per-address cap apply to TCP only.
 */
final class Admission {

    /**
     * The far end of an accepted connection.
     *
     * @param address as shown (with the port)
     * @param host    what the per-address cap counts by (see {@link Addresses#group}); null on the Unix socket
     * @param uid     the peer's uid on the Unix socket (-1: unknown); empty on TCP
     */
    record Peer(String address, String host, OptionalInt uid) {

        /** A TCP peer: its address with the port, and the address (or IPv6 /64) it is counted under. */
        static Peer tcp(String address, String host) {
            return new Peer(address, host, OptionalInt.empty());
        }

        /** A Unix-socket peer and its uid; -1 when the kernel would not tell. */
        static Peer unix(String address, int uid) {
            return new Peer(address, null, OptionalInt.of(uid));
        }
    }

    /**
     * The connections the adapter holds when a new one arrives.
     *
     * @param established connections whose worker has authenticated (HELLO accepted)
     * @param pending     TCP connections still in their TLS handshake or before their HELLO
     * @param fromHost    connections from the new peer's address (or /64), established or not
     */
    record Load(int established, int pending, int fromHost) {
    }

    private final int maxWorkers;
    private final int maxPending;
    private final int maxPerAddress;
    private final Set<Integer> allowedUids;

    /**
     * @param maxWorkers    established connections at most ({@code CDNODES_MAX_CONNECTIONS})
     * @param maxPending    TCP connections in their handshake at most ({@code CDNODES_MAX_PENDING_CONNECTIONS})
     * @param maxPerAddress TCP connections from one address or IPv6 /64 at most
     */
    Admission(int maxWorkers, int maxPending, int maxPerAddress, Set<Integer> allowedUids) {
        this.maxWorkers = maxWorkers;
        this.maxPending = maxPending;
        this.maxPerAddress = maxPerAddress;
        this.allowedUids = Set.copyOf(allowedUids);
    }

    /** The refusal to send, if the peer may not connect. */
    Optional<ErrorFrame> judge(Peer peer, Load load) {
        if (peer.uid().isPresent() && !allowedUids.contains(peer.uid().getAsInt())) {
            int uid = peer.uid().getAsInt();
            return Optional.of(new ErrorFrame(ErrorCode.AUTHENTICATION_FAILED, (uid < 0 ? "a peer whose uid is unknown"
                    : "uid " + uid) + " may not use this socket: it accepts uid " + new TreeSet<>(allowedUids)
                    + " (CDNODES_SOCKET_UIDS lists more)"));
        }
        if (load.established() >= maxWorkers) {
            return Optional.of(tooMany(maxWorkers));
        }
        if (peer.host() != null && load.pending() >= maxPending) {
            return Optional.of(new ErrorFrame(ErrorCode.TOO_MANY_CONNECTIONS, "the coordinator holds " + maxPending
                    + " connections that have not finished their handshake already (CDNODES_MAX_PENDING_CONNECTIONS)"));
        }
        if (peer.host() != null && load.fromHost() >= maxPerAddress) {
            return Optional.of(new ErrorFrame(ErrorCode.TOO_MANY_CONNECTIONS, "the coordinator holds " + maxPerAddress
                    + " connections from " + peer.host() + " already (CDNODES_MAX_CONNECTIONS_PER_ADDRESS)"));
        }
        return Optional.empty();
    }

    /** The refusal when {@code maxWorkers} workers are connected: at accept, and for a HELLO that would pass it. */
    static ErrorFrame tooMany(int maxWorkers) {
        return new ErrorFrame(ErrorCode.TOO_MANY_CONNECTIONS, "the coordinator has " + maxWorkers
                + " workers connected already (CDNODES_MAX_CONNECTIONS)");
    }
}
