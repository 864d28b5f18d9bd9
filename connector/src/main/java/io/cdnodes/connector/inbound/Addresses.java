package io.cdnodes.connector.inbound;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Renders socket addresses the way the HTTP API shows them: {@code 10.0.0.5:7000}, {@code [::1]:7000}. */
final class Addresses {

    private Addresses() {
    }

    static String of(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return host(inet.getAddress()) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    private static String host(InetAddress a) {
        return a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
    }
}
