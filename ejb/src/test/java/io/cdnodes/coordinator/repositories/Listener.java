package io.cdnodes.coordinator.repositories;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A TCP port that counts the connections made to it. A connection is complete, and waiting in the backlog,
 * once the client's connect has returned; so counting right after a fetch has failed misses none, without
 * waiting for anything.
 */
final class Listener implements AutoCloseable {

    private final ServerSocketChannel channel;
    private int accepted;

    Listener(String address) {
        try {
            channel = ServerSocketChannel.open();
            channel.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
            channel.configureBlocking(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The connections made so far. */
    int accepted() {
        try {
            for (SocketChannel c = channel.accept(); c != null; c = channel.accept()) {
                accepted++;
                c.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return accepted;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // a test's port
        }
    }
}
