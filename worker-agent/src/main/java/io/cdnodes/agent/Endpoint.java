package io.cdnodes.agent;

import java.nio.file.Path;

/** Where the coordinator listens: {@code tcp://HOST:PORT} or {@code unix:PATH}. */
public sealed interface Endpoint permits Endpoint.Tcp, Endpoint.Unix {

    record Tcp(String host, int port) implements Endpoint {
        @Override
        public String toString() {
            return "tcp://" + host + ":" + port;
        }
    }

    record Unix(Path path) implements Endpoint {
        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    /**
     * @throws IllegalArgumentException with a message for the user when the text is not an endpoint
     */
    static Endpoint parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no coordinator given (tcp://HOST:PORT or unix:PATH)");
        }
        String t = text.trim();
        if (t.startsWith("unix:")) {
            String p = t.substring("unix:".length());
            if (p.startsWith("//")) {
                p = p.substring(2);
            }
            if (p.isEmpty()) {
                throw new IllegalArgumentException("unix: needs a socket path: " + text);
            }
            return new Unix(Path.of(p).toAbsolutePath());
        }
        if (t.startsWith("tcp://")) {
            String hp = t.substring("tcp://".length());
            int colon = hp.lastIndexOf(':');
            if (colon <= 0 || colon == hp.length() - 1) {
                throw new IllegalArgumentException("tcp:// needs HOST:PORT: " + text);
            }
            String host = hp.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(hp.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a port number in " + text);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range in " + text);
            }
            return new Tcp(host, port);
        }
        throw new IllegalArgumentException("unknown coordinator address " + text + " (use tcp://HOST:PORT or unix:PATH)");
    }
}
