package io.cdnodes.coordinator.fetchpolicy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hosts an admin allows repositories to be fetched from whatever they resolve to
 * ({@code CDNODES_FETCH_ALLOW_HOSTS}): a GitHub Enterprise or git server on the private network, a test's
 * local server. Entries are separated by commas or spaces: a host name ({@code git.corp.example}), an IPv4
 * address ({@code 10.0.0.5}), an IPv6 address ({@code fd00::5} or {@code [fd00::5]}), each with an optional
 * port ({@code git.corp.example:8443}, {@code [fd00::5]:443}); without a port every port of that host is allowed.
 *
 * <p>A name matches that name only (case aside), an address that address only, whichever way it is written:
 * a name is never allowed because it resolves to a listed address, since a submitter's DNS could make any
 * name resolve to it. No wildcards.
 *
 * @param entries the allowed hosts, in the order given
 */
public record AllowedHosts(List<Entry> entries) {

    /** Nothing allowed beyond public addresses. */
    public static final AllowedHosts NONE = new AllowedHosts(List.of());

    private static final String VARIABLE = "CDNODES_FETCH_ALLOW_HOSTS";
    private static final Pattern NAME = Pattern.compile(
            "(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");
    private static final Pattern IPV4 = Pattern.compile(
            "(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern BRACKETED = Pattern.compile("\\[([^\\]]*)\\](?::(.*))?");

    /**
     * One allowed host.
     *
     * @param host a lower-case name without a trailing dot, or an address in the JDK's canonical text
     * @param port the port, or -1 for every port
     */
    public record Entry(String host, int port) {
        @Override
        public String toString() {
            String h = host.contains(":") ? "[" + host + "]" : host;
            return port < 0 ? h : h + ":" + port;
        }
    }

    public AllowedHosts {
        entries = List.copyOf(entries);
    }

    /**
     * @param text the variable's value; null or blank allows nothing
     * @throws IllegalArgumentException naming the variable and the entry at fault
     */
    public static AllowedHosts parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<Entry> entries = new ArrayList<>();
        for (String item : text.trim().split("[,\\s]+")) {
            if (!item.isEmpty()) {
                entries.add(entry(item));
            }
        }
        return new AllowedHosts(entries);
    }

    /** Whether a URL's host (as {@link java.net.URI#getHost()} gives it, brackets or not) and port are listed. */
    public boolean allows(String host, int port) {
        String h = canonical(host);
        if (h == null) {
            return false;
        }
        for (Entry e : entries) {
            if (e.host().equals(h) && (e.port() < 0 || e.port() == port)) {
                return true;
            }
        }
        return false;
    }

    private static Entry entry(String item) {
        if (item.contains("/") || item.contains("@")) {
            throw bad(item, "not a host name or an IP address: give a host, not a URL");
        }
        String host;
        String port = null;
        Matcher bracketed = BRACKETED.matcher(item);
        if (bracketed.matches()) {
            host = bracketed.group(1);
            port = bracketed.group(2);
            if (!IPV6.matcher(host).matches()) {
                throw bad(item, "only an IPv6 address goes in brackets");
            }
        } else if (item.indexOf(':') != item.lastIndexOf(':')) {
            host = item; // an IPv6 address without a port
        } else {
            int colon = item.indexOf(':');
            host = colon < 0 ? item : item.substring(0, colon);
            port = colon < 0 ? null : item.substring(colon + 1);
        }
        if (host.contains("*")) {
            throw bad(item, "wildcards are not supported: list each host");
        }
        String canonical = canonical(host);
        if (canonical == null) {
            throw bad(item, "not a host name or an IP address");
        }
        return new Entry(canonical, port == null ? -1 : port(item, port));
    }

    private static int port(String item, String port) {
        try {
            int p = Integer.parseInt(port);
            if (p >= 1 && p <= 65_535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw bad(item, "the port must be a number from 1 to 65535");
    }

    /**
     * The form hosts are compared in: an address literal as the JDK writes it (IPv4-mapped IPv6 as IPv4),
     * a name in lower case without a trailing dot; null when it is neither.
     */
    static String canonical(String host) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (IPV4.matcher(h).matches() || h.contains(":") && IPV6.matcher(h).matches()) {
            try {
                // a literal: the JDK parses it without asking DNS
                return InetAddress.getByName(h).getHostAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
        if (!NAME.matcher(h).matches() || h.length() > 254 || h.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
            return null; // all digits and dots but not a dotted quad: a numeric form this list does not take
        }
        String name = h.toLowerCase(Locale.ROOT);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static IllegalArgumentException bad(String item, String why) {
        return new IllegalArgumentException(VARIABLE + ": '" + item + "' is not an allowed host entry: " + why
                + " (like git.corp.example, git.corp.example:8443, 10.0.0.5, [fd00::5]:443)");
    }

    @Override
    public String toString() {
        return entries.isEmpty() ? "none" : entries.toString();
    }
}
