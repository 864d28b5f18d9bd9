package io.cdnodes.coordinator.fetchpolicy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of address a host may resolve to: the public ones pass, each non-public one is named, at both
 * edges of its range, in IPv4, IPv6 and the IPv6 forms that carry an IPv4 address.
 */
class AddressRangesTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "1.1.1.1", "8.8.8.8", "140.82.112.3", "185.199.108.153",
            "9.255.255.255", "11.0.0.0", // around 10/8
            "100.63.255.255", "100.128.0.0", // around 100.64/10
            "126.255.255.255", "128.0.0.0", // around 127/8
            "169.253.255.255", "169.255.0.0", // around 169.254/16
            "172.15.255.255", "172.32.0.0", // around 172.16/12
            "191.255.255.255", "192.0.1.0", "192.0.3.0", // around 192.0.0/24 and 192.0.2/24
            "192.31.196.1", "192.52.193.1", "192.175.48.1", // AS112 and AMT: globally reachable
            "192.88.98.255", "192.88.100.0", "192.167.255.255", "192.169.0.0",
            "198.17.255.255", "198.20.0.0", "198.51.99.255", "198.51.101.0", "203.0.112.255", "203.0.114.0",
            "223.255.255.255", // last before multicast
            "1.0.0.0", // first after 0/8
            "2606:4700:4700::1111", "2001:4860:4860::8888", "2a00:1450:4001:80b::200e", "2c0f:fb50::1",
            "2001:200::1", // first after 2001::/23
            "2001:db7:ffff::1", "2001:db9::1", // around 2001:db8::/32 (outside 2001::/23 too)
            "3ffe:ffff::1", "3fff:1000::1", // around 3fff::/20
            "2002:808:808::1", // 6to4 of 8.8.8.8
            "64:ff9b::808:808", // NAT64 of 8.8.8.8 (DNS64 networks give these for public hosts)
    })
    void publicAddressesPass(String literal) throws UnknownHostException {
        assertThat(AddressRanges.nonPublic(ip(literal))).as(literal).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0.0.0.0                 | 'this network'",
            "0.255.255.255           | 'this network'",
            "10.0.0.0                | private (10.0.0.0/8)",
            "10.255.255.255          | private (10.0.0.0/8)",
            "100.64.0.0              | carrier-grade NAT",
            "100.127.255.255         | carrier-grade NAT",
            "127.0.0.1               | loopback (127.0.0.0/8)",
            "127.0.0.2               | loopback (127.0.0.0/8)",
            "127.255.255.254         | loopback (127.0.0.0/8)",
            "169.254.0.0             | link-local (169.254.0.0/16)",
            "169.254.169.254         | link-local (169.254.0.0/16)",
            "172.16.0.0              | private (172.16.0.0/12)",
            "172.31.255.255          | private (172.16.0.0/12)",
            "192.0.0.0               | IETF protocol assignments",
            "192.0.0.255             | IETF protocol assignments",
            "192.0.2.1               | documentation (192.0.2.0/24)",
            "192.88.99.1             | 6to4 relay anycast",
            "192.168.0.0             | private (192.168.0.0/16)",
            "192.168.255.255         | private (192.168.0.0/16)",
            "198.18.0.0              | benchmarking",
            "198.19.255.255          | benchmarking",
            "198.51.100.7            | documentation (198.51.100.0/24)",
            "203.0.113.9             | documentation (203.0.113.0/24)",
            "224.0.0.1               | multicast (224.0.0.0/4)",
            "239.255.255.255         | multicast (224.0.0.0/4)",
            "240.0.0.0               | reserved (240.0.0.0/4)",
            "255.255.255.254         | reserved (240.0.0.0/4)",
            "255.255.255.255         | broadcast",
            // IPv6
            "::                      | unspecified",
            "::1                     | loopback (::1)",
            "::2                     | IPv4-compatible",
            "::127.0.0.1             | IPv4-compatible",
            "::8.8.8.8               | IPv4-compatible",
            "fc00::1                 | unique local",
            "fd12:3456:789a::1       | unique local",
            "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | unique local",
            "fe80::1                 | link-local (fe80::/10)",
            "febf:ffff::1            | link-local (fe80::/10)",
            "fec0::1                 | site-local",
            "ff02::1                 | multicast (ff00::/8)",
            "ff0e::1                 | multicast (ff00::/8)",
            "100::1                  | discard-only",
            "64:ff9b:1::a00:1        | local-use NAT64",
            "2001::1                 | Teredo",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2 | Teredo",
            "2001:2::1               | IETF protocol assignments",
            "2001:1ff:ffff::1        | IETF protocol assignments",
            "2001:db8::1             | documentation (2001:db8::/32)",
            "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff | documentation (2001:db8::/32)",
            "3fff::1                 | documentation (3fff::/20)",
            "3fff:fff:ffff::1        | documentation (3fff::/20)",
            "4000::1                 | not global unicast",
            "1fff:ffff::1            | not global unicast",
            "e000::1                 | not global unicast",
            "::ffff:0:7f00:1         | not global unicast",
            // IPv6 forms carrying a non-public IPv4 address
            "64:ff9b::7f00:1         | NAT64 (64:ff9b::/96) form of loopback (127.0.0.0/8)",
            "64:ff9b::a9fe:a9fe      | NAT64 (64:ff9b::/96) form of link-local (169.254.0.0/16)",
            "64:ff9b::c0a8:1         | NAT64 (64:ff9b::/96) form of private (192.168.0.0/16)",
            "2002:7f00:1::1          | 6to4 (2002::/16) form of loopback (127.0.0.0/8)",
            "2002:a00:1::            | 6to4 (2002::/16) form of private (10.0.0.0/8)",
            "2002:0:0::1             | 6to4 (2002::/16) form of 'this network'",
            "2002:e000:1::1          | 6to4 (2002::/16) form of multicast",
    })
    void nonPublicAddressesAreNamed(String literal, String kind) throws UnknownHostException {
        assertThat(AddressRanges.nonPublic(ip(literal))).as(literal).hasValueSatisfying(k -> assertThat(k).contains(kind));
    }

    @Test
    void ipv4MappedFormsAreJudgedByTheirIpv4AddressWhicheverClassHoldsThem() throws UnknownHostException {
        // the JDK turns a mapped literal into an Inet4Address...
        assertThat(InetAddress.getByName("::ffff:127.0.0.1").getAddress()).hasSize(4);
        assertThat(AddressRanges.nonPublic(InetAddress.getByName("::ffff:127.0.0.1"))).contains("loopback (127.0.0.0/8)");
        assertThat(AddressRanges.nonPublic(InetAddress.getByName("::ffff:7f00:1"))).contains("loopback (127.0.0.0/8)");
        // ...but an Inet6Address can hold one too, and a dual-stack socket would connect to the IPv4 address
        assertThat(AddressRanges.nonPublic(mapped(127, 0, 0, 1))).contains("IPv4-mapped form of loopback (127.0.0.0/8)");
        assertThat(AddressRanges.nonPublic(mapped(10, 1, 2, 3))).contains("IPv4-mapped form of private (10.0.0.0/8)");
        assertThat(AddressRanges.nonPublic(mapped(0, 0, 0, 0))).contains("IPv4-mapped form of 'this network' (0.0.0.0/8)");
        assertThat(AddressRanges.nonPublic(mapped(169, 254, 169, 254))).get().asString().contains("link-local");
        assertThat(AddressRanges.nonPublic(mapped(8, 8, 8, 8))).isEmpty();
    }

    @Test
    void scopedLinkLocalAddressesAreRefusedWhateverTheirScope() throws UnknownHostException {
        byte[] bytes = InetAddress.getByName("fe80::1").getAddress();
        assertThat(AddressRanges.nonPublic(Inet6Address.getByAddress(null, bytes, 1))).contains("link-local (fe80::/10)");
    }

    @Test
    void everyIpv4AddressIsDecidedTheSameAsTheRangeTableSaysAtEachOctetBoundary() throws UnknownHostException {
        // a sweep over the first octet: only these first octets are wholly non-public
        for (int first = 0; first < 256; first++) {
            boolean refused = AddressRanges.nonPublic(ip(first + ".1.2.3")).isPresent();
            boolean expected = first == 0 || first == 10 || first == 127 || first >= 224;
            assertThat(refused).as(first + ".1.2.3").isEqualTo(expected);
        }
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        assertThat(literal).as("a literal, so no DNS").matches("[0-9a-fA-F:.]+");
        return InetAddress.getByName(literal);
    }

    private static InetAddress mapped(int a, int b, int c, int d) throws UnknownHostException {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xFF;
        bytes[11] = (byte) 0xFF;
        bytes[12] = (byte) a;
        bytes[13] = (byte) b;
        bytes[14] = (byte) c;
        bytes[15] = (byte) d;
        InetAddress address = Inet6Address.getByAddress(null, bytes, -1);
        assertThat(address).isInstanceOf(Inet6Address.class);
        return address;
    }
}
