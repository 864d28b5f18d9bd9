package io.cdnodes.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedOutputTest {

    private static BoundedOutput drain(InputStream in, long limit) throws InterruptedException {
        BoundedOutput out = new BoundedOutput(in, limit, "test-output");
        out.await(10_000);
        return out;
    }

    private static InputStream ascii(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void outputWithinTheLimitIsKeptWhole() throws Exception {
        BoundedOutput out = drain(ascii("collected 3 items\n...\n3 passed\n"), 4096);

        assertThat(out.text()).isEqualTo("collected 3 items\n...\n3 passed\n");
        assertThat(out.totalBytes()).isEqualTo(31);
    }

    @Test
    void exactlyTheLimitIsKeptWithoutAMarker() throws Exception {
        String s = "a".repeat(2048) + "b".repeat(2048);

        assertThat(drain(ascii(s), 4096).text()).isEqualTo(s);
    }

    @Test
    void theMiddleIsDroppedWithAMarkerWhileHeadAndTailAreKept() throws Exception {
        BoundedOutput out = drain(ascii("H".repeat(2048) + "M".repeat(10_000) + "T".repeat(2048)), 4096);

        assertThat(out.text()).isEqualTo("H".repeat(2048) + "\n[... 10000 bytes of output dropped ...]\n"
                + "T".repeat(2048));
        assertThat(out.totalBytes()).isEqualTo(14_096);
    }

    @Test
    void aLimitBelow2KiBStillKeeps1KiBAtEachEnd() throws Exception {
        BoundedOutput out = drain(ascii("h".repeat(1024) + "m".repeat(5) + "t".repeat(1024)), 10);

        assertThat(out.text()).isEqualTo("h".repeat(1024) + "\n[... 5 bytes of output dropped ...]\n" + "t".repeat(1024));
    }

    @Test
    void tensOfMegabytesCostOnlyTheBound() throws Exception {
        long total = 40L * 1024 * 1024;
        BoundedOutput out = drain(new CountingStream(total), 64 * 1024);

        String text = out.text();
        assertThat(out.totalBytes()).isEqualTo(total);
        String marker = "\n[... " + (total - 64 * 1024) + " bytes of output dropped ...]\n";
        assertThat(text).hasSize(64 * 1024 + marker.length());
        assertThat(text).startsWith(CountingStream.expected(0, 32 * 1024)).contains(marker)
                .endsWith(CountingStream.expected(total - 32 * 1024, 32 * 1024));
    }

    @Test
    void tailGivesTheLastCharactersWithAnEllipsis() throws Exception {
        BoundedOutput out = drain(ascii("0123456789"), 4096);

        assertThat(out.tail(4)).isEqualTo("…6789");
        assertThat(out.tail(10)).isEqualTo("0123456789");
    }

    @Test
    void tailSinceAMarkGivesOnlyWhatCameAfterIt() throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        BoundedOutput out = new BoundedOutput(new PipedInputStream(writer, 64 * 1024), 4096, "test-output-marks");
        writer.write("first batch\n".getBytes(StandardCharsets.US_ASCII));
        writer.flush();
        org.awaitility.Awaitility.await().until(() -> out.totalBytes() == 12);
        long mark = out.totalBytes();

        assertThat(out.tail(100, mark)).isEmpty();
        writer.write(("H".repeat(2000) + "second").getBytes(StandardCharsets.US_ASCII));
        writer.close();
        out.await(5000);

        assertThat(out.tail(100_000, mark)).as("across head and tail").isEqualTo("H".repeat(2000) + "second");
        assertThat(out.tail(4, mark)).isEqualTo("…cond");
        assertThat(out.tail(100_000, 0)).isEqualTo(out.text());
    }

    @Test
    void tailSinceAMarkIsWhatIsKeptOnceTheMiddleWasDropped() throws Exception {
        BoundedOutput out = drain(ascii("H".repeat(2048) + "M".repeat(10_000) + "T".repeat(2048)), 4096);

        assertThat(out.tail(100_000, 13_000)).isEqualTo("T".repeat(1096));
        assertThat(out.tail(100_000, 12_000)).as("the Ms before were dropped").isEqualTo("T".repeat(2048));
        assertThat(out.tail(100_000, 100)).isEqualTo("T".repeat(2048));
    }

    @Test
    void awaitIsBoundedWhenTheStreamNeverEnds() throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(writer);
        BoundedOutput out = new BoundedOutput(in, 4096, "test-output-open");
        writer.write("partial".getBytes(StandardCharsets.US_ASCII));
        writer.flush();

        long start = System.nanoTime();
        out.await(200);

        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5000);
        assertThat(out.text()).isEqualTo("partial");
        writer.close();
        out.await(5000);
    }

    /** Bytes 'a'..'z' repeating, generated as read: no test memory grows with the length. */
    private static final class CountingStream extends InputStream {
        private final long length;
        private long pos;

        CountingStream(long length) {
            this.length = length;
        }

        static String expected(long from, int n) {
            StringBuilder sb = new StringBuilder(n);
            for (long i = from; i < from + n; i++) {
                sb.append((char) ('a' + i % 26));
            }
            return sb.toString();
        }

        @Override
        public int read() {
            return pos < length ? 'a' + (int) (pos++ % 26) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - pos);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ('a' + (pos++ % 26));
            }
            return n;
        }
    }
}
