package io.cdnodes.connector.inbound;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Renders socket addresses the way the HTTP API shows them ({@code 10.0.0.5:7000}, {@code [::1]:7000}), and names
 * the group a peer's connections are counted in for the per-address cap.
 */
final class Addresses {

    private Addresses() {
    }

    static String of(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return host(inet.getAddress()) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    /**
     * What the per-address cap counts a peer under: its IPv4 address ({@code 10.0.0.5}), or the /64 of its IPv6
     * address ({@code 2001:db8:0:7::/64}): a host is usually given a whole /64, and could take a new address in it
     * for every connection. An IPv4-mapped address counts as the IPv4 address it carries.
     */
    static String group(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        if (mapped(b)) {
            return (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            out.append(Integer.toHexString((b[i] & 0xff) << 8 | (b[i + 1] & 0xff))).append(':');
        }
        return out.append(":/64").toString();
    }

    private static boolean mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    private static String host(InetAddress a) {
        return a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
    }
}
