package io.cdnodes.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTailerTest {

    @TempDir
    Path dir;

    private Path report() {
        return dir.resolve("report.jsonl");
    }

    private void append(String s) throws IOException {
        append(s.getBytes(StandardCharsets.UTF_8));
    }

    private void append(byte[] b) throws IOException {
        Files.write(report(), b, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void aFileNotYetCreatedGivesNothing() throws IOException {
        assertThat(new ReportTailer(report()).poll()).isEmpty();
    }

    @Test
    void linesAppendedBetweenPollsComeOnceEachInOrder() throws IOException {
        ReportTailer t = new ReportTailer(report());
        append("{\"n\":1}\n{\"n\":2}\n");

        assertThat(t.poll()).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(t.poll()).isEmpty();
        append("{\"n\":3}\n");
        assertThat(t.poll()).containsExactly("{\"n\":3}");
        assertThat(t.poll()).isEmpty();
    }

    @Test
    void aPartialLineWaitsForItsNewline() throws IOException {
        ReportTailer t = new ReportTailer(report());
        append("{\"n\":1}\n{\"nodeid\":\"tests/te");

        assertThat(t.poll()).containsExactly("{\"n\":1}");
        assertThat(t.poll()).isEmpty();
        append("st_a.py::t\"}\n");
        assertThat(t.poll()).containsExactly("{\"nodeid\":\"tests/test_a.py::t\"}");
    }

    @Test
    void aMultiByteCharacterSplitAcrossPollsIsDecodedWhole() throws IOException {
        ReportTailer t = new ReportTailer(report());
        byte[] line = "{\"m\":\"café ∑ 😀\"}\n".getBytes(StandardCharsets.UTF_8);
        int emoji = line.length - 5; // two bytes into the 4-byte emoji
        append(Arrays.copyOfRange(line, 0, 11)); // ends between the two bytes of é
        assertThat(t.poll()).isEmpty();
        append(Arrays.copyOfRange(line, 11, emoji));
        assertThat(t.poll()).isEmpty();

        append(Arrays.copyOfRange(line, emoji, line.length));

        assertThat(t.poll()).containsExactly("{\"m\":\"café ∑ 😀\"}");
    }

    @Test
    void blankLinesAreSkipped() throws IOException {
        ReportTailer t = new ReportTailer(report());
        append("\n{\"n\":1}\n   \n\n{\"n\":2}\n");

        assertThat(t.poll()).containsExactly("{\"n\":1}", "{\"n\":2}");
    }

    @Test
    void aLineAboveTheLimitIsDroppedAndTheNextOneKept() throws IOException {
        ReportTailer t = new ReportTailer(report());
        append("{\"n\":1}\n");
        assertThat(t.poll()).containsExactly("{\"n\":1}");
        append("x".repeat(5 * 1024 * 1024));
        assertThat(t.poll()).isEmpty();

        append("xxxx\n{\"n\":2}\n");

        assertThat(t.poll()).containsExactly("{\"n\":2}");
    }

    @Test
    void theNewlineEndingADroppedLineMayArriveAlone() throws IOException {
        ReportTailer t = new ReportTailer(report());
        append("x".repeat(5 * 1024 * 1024));
        assertThat(t.poll()).isEmpty();
        append("\n");
        assertThat(t.poll()).isEmpty();

        append("{\"n\":2}\n");

        assertThat(t.poll()).containsExactly("{\"n\":2}");
    }

    @Test
    void aLinkAtTheReportsNameIsNotFollowed() throws IOException {
        // a test pointing its report at another run's, to pass that run's results off as its own
        Path other = dir.resolve("other-run-report.jsonl");
        Files.writeString(other, "{\"type\":\"result\"}\n");
        Files.createSymbolicLink(report(), other);

        assertThat(new ReportTailer(report()).poll()).isEmpty();
    }

    @Test
    void aPipeAtTheReportsNameDoesNotHoldTheReader() throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", report().toString()).start();
        assertThat(mkfifo.waitFor()).isZero();

        java.util.List<String> lines = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(30), () -> new ReportTailer(report()).poll(),
                "opening a pipe for reading alone would wait for a writer forever");

        assertThat(lines).isEmpty();
    }
}
