package io.cdnodes.protocol.session;

import io.cdnodes.protocol.codec.FrameDecoder;
import io.cdnodes.protocol.codec.FrameEncoder;
import io.cdnodes.protocol.codec.Violation;
import io.cdnodes.protocol.frame.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One end of an in-memory connection built from JDK pipes: frames go out through a {@link FrameEncoder},
 * and a reader thread runs a {@link FrameDecoder} and queues what arrives (frames, then a {@link Violation}
 * or {@link #EOF}). Every wait is bounded.
 */
final class FrameChannel implements AutoCloseable {

    /** How long any single wait may take before the test fails. */
    static final Duration WAIT = Duration.ofSeconds(5);
    /** Queued when the peer closed its side. */
    static final Object EOF = new Object() {
        @Override
        public String toString() {
            return "EOF";
        }
    };

    private final String name;
    private final InputStream in;
    private final OutputStream out;
    private final FrameEncoder encoder = new FrameEncoder();
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final Thread reader;

    private FrameChannel(String name, InputStream in, OutputStream out) {
        this.name = name;
        this.in = in;
        this.out = out;
        this.reader = new Thread(this::readLoop, name + "-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Two connected ends: what one sends, the other receives. */
    static FrameChannel[] pair(String a, String b) throws IOException {
        PipedOutputStream aOut = new PipedOutputStream();
        PipedInputStream bIn = new PipedInputStream(aOut, 64 * 1024);
        PipedOutputStream bOut = new PipedOutputStream();
        PipedInputStream aIn = new PipedInputStream(bOut, 64 * 1024);
        return new FrameChannel[] {new FrameChannel(a, aIn, aOut), new FrameChannel(b, bIn, bOut)};
    }

    private void readLoop() {
        FrameDecoder decoder = new FrameDecoder();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                inbox.addAll(decoder.feed(buf, 0, n));
                if (decoder.violation().isPresent()) {
                    inbox.add(decoder.violation().get());
                    return;
                }
            }
        } catch (IOException e) {
            // the pipe was closed under us: same as the peer going away
        }
        inbox.add(EOF);
    }

    /** Sends one frame; callable from any thread. */
    synchronized void send(Frame frame) throws IOException {
        encoder.write(frame, out);
        out.flush(); // wakes the reader at once instead of after the pipe's one-second poll
    }

    /** Sends bytes as they are, for peers that break the protocol. */
    synchronized void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Closes the sending side; the peer reads EOF after what was sent. */
    synchronized void closeOutput() {
        try {
            out.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** The next item, or null if none arrived within {@code wait}. */
    Object poll(Duration wait) throws InterruptedException {
        return inbox.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next item: a frame, a violation or {@link #EOF}. Fails the test if nothing arrives in time. */
    Object next() throws InterruptedException {
        Object item = poll(WAIT);
        if (item == null) {
            throw new AssertionError(name + ": nothing arrived within " + WAIT);
        }
        return item;
    }

    /** The next item, which must be a frame. */
    Frame nextFrame() throws InterruptedException {
        Object item = next();
        if (item instanceof Frame frame) {
            return frame;
        }
        throw new AssertionError(name + ": expected a frame, got " + item);
    }

    @Override
    public void close() {
        closeOutput();
        try {
            in.close();
        } catch (IOException e) {
            // nothing to do
        }
        // a pipe's reader notices only the writer closing, not its own side: interrupt it out of read()
        reader.interrupt();
        try {
            reader.join(WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
