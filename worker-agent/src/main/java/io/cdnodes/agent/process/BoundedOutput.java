package io.cdnodes.agent.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Drains a process's output, keeping only its first and last {@code limit/2} bytes, so that a test that
 * prints without end costs neither memory nor disk. Reads on its own thread until the stream ends.
 */
public final class BoundedOutput {

    private final int half;
    private final byte[] head;
    private final byte[] tail;
    private int headFill;
    private long tailWritten;
    private long total;
    private final Thread reader;

    public BoundedOutput(InputStream in, long limit, String threadName) {
        this.half = (int) Math.max(1024, Math.min(Integer.MAX_VALUE / 2, limit / 2));
        this.head = new byte[half];
        this.tail = new byte[half];
        this.reader = new Thread(() -> drain(in), threadName);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    private void drain(InputStream in) {
        byte[] buf = new byte[16 * 1024];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                append(buf, n);
            }
        } catch (IOException ignored) {
            // the process is gone; what was read is kept
        }
    }

    private synchronized void append(byte[] buf, int n) {
        total += n;
        int i = 0;
        while (i < n && headFill < half) {
            head[headFill++] = buf[i++];
        }
        for (; i < n; i++) {
            tail[(int) (tailWritten++ % half)] = buf[i];
        }
    }

    /** Waits (bounded) for the stream to end. */
    public void await(long millis) throws InterruptedException {
        reader.join(millis);
    }

    /** Everything kept, with a marker where bytes were dropped. */
    public synchronized String text() {
        StringBuilder sb = new StringBuilder(new String(head, 0, headFill, StandardCharsets.UTF_8));
        if (tailWritten > 0) {
            long dropped = tailWritten - Math.min(tailWritten, half);
            if (dropped > 0) {
                sb.append("\n[... ").append(dropped).append(" bytes of output dropped ...]\n");
            }
            int len = (int) Math.min(tailWritten, half);
            byte[] t = new byte[len];
            for (int i = 0; i < len; i++) {
                t[i] = tail[(int) ((tailWritten - len + i) % half)];
            }
            sb.append(new String(t, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    /** The last {@code chars} characters kept. */
    public String tail(int chars) {
        return cut(text(), chars);
    }

    /**
     * The last {@code chars} characters of what came after {@code mark} (a {@link #totalBytes()} read earlier), as
     * far as it is kept: one process serving several batches gives each batch its own words.
     */
    public synchronized String tail(int chars, long mark) {
        long since = total - Math.max(0, mark);
        if (since <= 0) {
            return "";
        }
        int fromTail = (int) Math.min(since, Math.min(tailWritten, half));
        byte[] b = new byte[fromTail];
        for (int i = 0; i < fromTail; i++) {
            b[i] = tail[(int) ((tailWritten - fromTail + i) % half)];
        }
        String text = new String(b, StandardCharsets.UTF_8);
        if (since > fromTail && tailWritten <= half) {
            // nothing was dropped yet: the rest of it is at the end of the head
            int fromHead = (int) Math.min(since - fromTail, headFill);
            text = new String(head, headFill - fromHead, fromHead, StandardCharsets.UTF_8) + text;
        }
        return cut(text, chars);
    }

    private static String cut(String t, int chars) {
        return t.length() <= chars ? t : "…" + t.substring(t.length() - chars);
    }

    public synchronized long totalBytes() {
        return total;
    }
}
