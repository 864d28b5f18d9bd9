package io.cdnodes.coordinator.fetchpolicy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses are public: the ones a repository may be fetched from without the admin listing the host.
 * Every address a submitted host resolves to is put through {@link #nonPublic}; one that is not public
 * (loopback, private, link-local, multicast, documentation, reserved, …) makes the whole host refused.
 *
 * <p>IPv4 follows IANA's special-purpose address registry: everything is public except its ranges that are
 * not globally reachable (and the deprecated 6to4 relay anycast). IPv6 is stricter, an allow-list: only
 * global unicast (2000::/3) is public, less the ranges in it that are not globally reachable, and forms that
 * carry an IPv4 address (IPv4-mapped, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by that IPv4 address,
 * since that is where a connection to them ends up. Plain data, no I/O, no DNS.
 */
public final class AddressRanges {

    /** A block of addresses and what it is. */
    private record Block(byte[] prefix, int bits, String kind) {
        boolean contains(byte[] a) {
            if (a.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (a[full] & mask) == (prefix[full] & mask);
        }
    }

    private static final List<Block> IPV4 = List.of(
            block("0.0.0.0", 8, "'this network' (0.0.0.0/8)"),
            block("10.0.0.0", 8, "private (10.0.0.0/8)"),
            block("100.64.0.0", 10, "shared address space, carrier-grade NAT (100.64.0.0/10)"),
            block("127.0.0.0", 8, "loopback (127.0.0.0/8)"),
            block("169.254.0.0", 16, "link-local (169.254.0.0/16)"),
            block("172.16.0.0", 12, "private (172.16.0.0/12)"),
            block("192.0.0.0", 24, "IETF protocol assignments (192.0.0.0/24)"),
            block("192.0.2.0", 24, "documentation (192.0.2.0/24)"),
            block("192.88.99.0", 24, "6to4 relay anycast (192.88.99.0/24)"),
            block("192.168.0.0", 16, "private (192.168.0.0/16)"),
            block("198.18.0.0", 15, "benchmarking (198.18.0.0/15)"),
            block("198.51.100.0", 24, "documentation (198.51.100.0/24)"),
            block("203.0.113.0", 24, "documentation (203.0.113.0/24)"),
            block("224.0.0.0", 4, "multicast (224.0.0.0/4)"),
            block("255.255.255.255", 32, "broadcast (255.255.255.255)"),
            block("240.0.0.0", 4, "reserved (240.0.0.0/4)"));

    /** Ranges inside 2000::/3 that are not public (the forms carrying IPv4 are handled before these). */
    private static final List<Block> IPV6_GLOBAL_EXCEPTIONS = List.of(
            block("2001:db8::", 32, "documentation (2001:db8::/32)"),
            block("2001::", 23, "IETF protocol assignments, Teredo included (2001::/23)"),
            block("3fff::", 20, "documentation (3fff::/20)"));

    /** Named blocks outside 2000::/3, so that a refusal says what the address is. */
    private static final List<Block> IPV6_NAMED = List.of(
            block("::", 128, "unspecified (::)"),
            block("::1", 128, "loopback (::1)"),
            block("::", 96, "IPv4-compatible, deprecated (::/96)"),
            block("64:ff9b:1::", 48, "local-use NAT64 (64:ff9b:1::/48)"),
            block("100::", 64, "discard-only (100::/64)"),
            block("fc00::", 7, "unique local (fc00::/7)"),
            block("fe80::", 10, "link-local (fe80::/10)"),
            block("fec0::", 10, "site-local, deprecated (fec0::/10)"),
            block("ff00::", 8, "multicast (ff00::/8)"));

    private static final Block GLOBAL_UNICAST = block("2000::", 3, "global unicast");
    private static final Block MAPPED = block("::ffff:0:0", 96, "IPv4-mapped");
    private static final Block NAT64 = block("64:ff9b::", 96, "NAT64");
    private static final Block SIX_TO_FOUR = block("2002::", 16, "6to4");

    private AddressRanges() {
    }

    /**
     * @return what the address is when it is not public ("loopback (127.0.0.0/8)"), empty when it is public
     */
    public static Optional<String> nonPublic(InetAddress address) {
        byte[] a = address.getAddress();
        if (address instanceof Inet4Address) {
            return ipv4(a);
        }
        if (!(address instanceof Inet6Address)) {
            return Optional.of("not an IP address");
        }
        if (MAPPED.contains(a)) {
            return embedded(a, 12, "IPv4-mapped");
        }
        if (NAT64.contains(a)) {
            return embedded(a, 12, "NAT64 (64:ff9b::/96)");
        }
        if (SIX_TO_FOUR.contains(a)) {
            return embedded(a, 2, "6to4 (2002::/16)");
        }
        if (GLOBAL_UNICAST.contains(a)) {
            return first(IPV6_GLOBAL_EXCEPTIONS, a);
        }
        return first(IPV6_NAMED, a).or(() -> Optional.of("not global unicast (outside 2000::/3)"));
    }

    private static Optional<String> ipv4(byte[] a) {
        return first(IPV4, a);
    }

    /** An IPv6 address carrying an IPv4 address at {@code offset}: as public as that IPv4 address. */
    private static Optional<String> embedded(byte[] a, int offset, String form) {
        byte[] v4 = new byte[4];
        System.arraycopy(a, offset, v4, 0, 4);
        return ipv4(v4).map(kind -> form + " form of " + kind);
    }

    private static Optional<String> first(List<Block> blocks, byte[] a) {
        for (Block b : blocks) {
            if (b.contains(a)) {
                return Optional.of(b.kind());
            }
        }
        return Optional.empty();
    }

    private static Block block(String literal, int bits, String kind) {
        try {
            // literals only, so no DNS; an IPv4-mapped literal comes back as 4 bytes: put its prefix back
            byte[] bytes = InetAddress.getByName(literal).getAddress();
            if (literal.contains(":") && bytes.length == 4) {
                bytes = mapped(bytes);
            }
            return new Block(bytes, bits, kind);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(literal, e);
        }
    }

    private static byte[] mapped(byte[] v4) {
        byte[] out = new byte[16];
        out[10] = (byte) 0xFF;
        out[11] = (byte) 0xFF;
        System.arraycopy(v4, 0, out, 12, 4);
        return out;
    }
}
