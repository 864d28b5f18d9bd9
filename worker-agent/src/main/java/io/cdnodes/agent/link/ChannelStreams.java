package io.cdnodes.agent.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Streams over a blocking {@link SocketChannel} (a Unix socket's) that read and write concurrently.
 * {@code Channels.newInputStream}/{@code newOutputStream} serialise reads and writes on the channel's blocking lock,
 * so a reader blocked in {@code read()} would hold up every write, heartbeats included; the channel itself does not.
 */
public final class ChannelStreams {

    private ChannelStreams() {
    }

    /** Reads from {@code ch}; closing it does not close the channel. */
    public static InputStream input(SocketChannel ch) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : ch.read(ByteBuffer.wrap(b, off, len));
            }
        };
    }

    /** Writes to {@code ch}, every byte before it returns; closing it does not close the channel. */
    public static OutputStream output(SocketChannel ch) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        };
    }
}
