package io.cdnodes.connector.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The host names and addresses a certificate names (its subject alternative names), as TLS clients check them. */
final class SubjectNames {

    private static final int DNS = 2;
    private static final int IP = 7;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private SubjectNames() {
    }

    /** Whether the text is an address (IPv4 dotted or IPv6) rather than a host name. */
    static boolean isAddress(String name) {
        return IPV4.matcher(name).matches() || name.contains(":");
    }

    /** The names of {@code wanted} the certificate does not name. */
    static List<String> missing(X509Certificate certificate, List<String> wanted) throws CertificateParsingException {
        Set<String> dns = new HashSet<>();
        Set<InetAddress> ips = new HashSet<>();
        Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
        for (List<?> san : sans == null ? List.<List<?>>of() : sans) {
            int type = (Integer) san.get(0);
            if (type == DNS) {
                dns.add(((String) san.get(1)).toLowerCase(Locale.ROOT));
            } else if (type == IP) {
                address((String) san.get(1)).ifPresent(ips::add);
            }
        }
        List<String> out = new ArrayList<>();
        for (String name : wanted) {
            boolean named = isAddress(name) ? address(name).map(ips::contains).orElse(false)
                    : dns.contains(name.toLowerCase(Locale.ROOT));
            if (!named) {
                out.add(name);
            }
        }
        return out;
    }

    /** keytool's {@code -ext SAN=} value for these names. */
    static String keytoolValue(List<String> names) {
        List<String> parts = new ArrayList<>();
        for (String n : names) {
            parts.add((isAddress(n) ? "ip:" : "dns:") + n);
        }
        return String.join(",", parts);
    }

    /** An address literal; never a DNS look-up (a host name is not an address). */
    private static java.util.Optional<InetAddress> address(String literal) {
        if (!isAddress(literal)) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            return java.util.Optional.empty();
        }
    }
}
