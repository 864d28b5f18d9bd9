package io.cdnodes.connector.inbound;

import io.cdnodes.connector.api.Transport;

/** The ways a worker reaches the adapter: TLS over TCP (the default), plain TCP (when asked for), the Unix socket. */
enum Channel {
    TLS(Transport.TCP), TCP(Transport.TCP), UNIX(Transport.UNIX);

    private final Transport transport;

    Channel(Transport transport) {
        this.transport = transport;
    }

    Transport transport() {
        return transport;
    }
}
