package io.cdnodes.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.Drain;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Heartbeat;
import io.cdnodes.protocol.frame.Hello;
import io.cdnodes.protocol.frame.Outcome;
import io.cdnodes.protocol.frame.PackageAck;
import io.cdnodes.protocol.frame.PackageChunk;
import io.cdnodes.protocol.frame.SampleFrames;
import io.cdnodes.protocol.frame.TestResult;
import io.cdnodes.protocol.frame.Welcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Exact bytes, written by hand from the layout in PROTOCOL.md (never produced by the encoder), so that a
 * change to the wire format cannot pass unnoticed.
 */
class GoldenBytesTest {

    /** The 64 ASCII bytes of {@link SampleFrames#PKG}, "abab...ab", preceded by its u32 length 64. */
    private static final String PKG_STRING = "00000040" + "6162".repeat(32);

    private final FrameEncoder encoder = new FrameEncoder();

    @Test
    void hello() {
        golden(new Hello(3, "w1", 2, "3.12", "8.0", "tk", List.of(), true), """
                43 44 03 01 00 00 00 24   # magic CD, version 3, type 0x01, payload 36 bytes
                00 03                     # protocolVersion u16 3
                00 00 00 02 77 31         # workerName "w1"
                00 02                     # slots u16 2
                00 00 00 04 33 2e 31 32   # pythonVersion "3.12"
                00 00 00 03 38 2e 30      # pytestVersion "8.0"
                00 00 00 02 74 6b         # token "tk"
                00 00 00 00               # cachedPackages: empty list
                01                        # sandboxed: true
                """);
    }

    @Test
    void helloWithCachedPackageAndUnicodeName() {
        golden(new Hello(3, "wé", 1, "", "", "", List.of(SampleFrames.PKG), false), """
                43 44 03 01 00 00 00 60   # payload 96 bytes
                00 03                     # protocolVersion 3
                00 00 00 03 77 c3 a9      # workerName "wé": é is c3 a9 in UTF-8
                00 01                     # slots 1
                00 00 00 00               # pythonVersion ""
                00 00 00 00               # pytestVersion ""
                00 00 00 00               # token ""
                00 00 00 01               # cachedPackages: 1 item
                """ + PKG_STRING + " 00   # sandboxed: false");
    }

    @Test
    void welcome() {
        golden(new Welcome("w-7", 1000, 5000, 8_388_608, 1_048_576), """
                43 44 03 02 00 00 00 17   # type 0x02, payload 23 bytes
                00 00 00 03 77 2d 37      # workerId "w-7"
                00 00 03 e8               # heartbeatIntervalMs 1000
                00 00 13 88               # heartbeatTimeoutMs 5000
                00 80 00 00               # maxFrameBytes 8 MiB
                00 10 00 00               # chunkBytes 1 MiB
                """);
    }

    @Test
    void welcomeWithMaximumU32() {
        golden(new Welcome("", SampleFrames.U32_MAX, SampleFrames.U32_MAX, SampleFrames.U32_MAX, SampleFrames.U32_MAX),
                "43 44 03 02 00 00 00 14  00 00 00 00" + " ff ff ff ff".repeat(4));
    }

    @Test
    void error() {
        golden(new ErrorFrame(ErrorCode.AUTHENTICATION_FAILED, "no"), """
                43 44 03 03 00 00 00 08   # type 0x03, payload 8 bytes
                00 03                     # code u16 3 AUTHENTICATION_FAILED
                00 00 00 02 6e 6f         # message "no"
                """);
    }

    @Test
    void heartbeat() {
        golden(new Heartbeat(258), "43 44 03 04 00 00 00 08  00 00 00 00 00 00 01 02");
        golden(new Heartbeat(-1), "43 44 03 04 00 00 00 08  ff ff ff ff ff ff ff ff");
    }

    @Test
    void drain() {
        golden(new Drain("bye ✓"), """
                43 44 03 05 00 00 00 0b
                00 00 00 07 62 79 65 20 e2 9c 93   # "bye ✓": ✓ U+2713 is e2 9c 93
                """);
    }

    @Test
    void testResult() {
        golden(new TestResult(5, 1, "t.py::a", Outcome.FAILED, 0.5, "x"), """
                43 44 03 21 00 00 00 29                  # type 0x21, payload 41 bytes
                00 00 00 00 00 00 00 05                  # assignmentId i64 5
                00 00 00 01                              # attempt u32 1
                00 00 00 07 74 2e 70 79 3a 3a 61         # nodeId "t.py::a"
                01                                       # outcome u8 1 FAILED
                3f e0 00 00 00 00 00 00                  # durationSeconds f64 0.5
                00 00 00 01 78                           # message "x"
                00 00 00 00                              # report: empty map
                """);
    }

    @Test
    void testResultWithAReport() {
        golden(new TestResult(5, 1, "t.py::a", Outcome.FAILED, 0.5, "x",
                Map.of("stdout", "hi\n", "phase", "call")), """
                43 44 03 21 00 00 00 4b                  # type 0x21, payload 75 bytes
                00 00 00 00 00 00 00 05                  # assignmentId i64 5
                00 00 00 01                              # attempt u32 1
                00 00 00 07 74 2e 70 79 3a 3a 61         # nodeId "t.py::a"
                01                                       # outcome u8 1 FAILED
                3f e0 00 00 00 00 00 00                  # durationSeconds f64 0.5
                00 00 00 01 78                           # message "x"
                00 00 00 02                              # report: 2 entries, sorted by key
                00 00 00 05 70 68 61 73 65               # "phase"
                00 00 00 04 63 61 6c 6c                  # "call"
                00 00 00 06 73 74 64 6f 75 74            # "stdout"
                00 00 00 03 68 69 0a                     # "hi", a newline
                """);
    }

    @Test
    void assign() {
        golden(SampleFrames.assignRun(), """
                43 44 03 20 00 00 01 00                  # type 0x20, payload 256 bytes
                00 00 00 00 00 00 00 07                  # assignmentId 7
                00 00 00 02                              # attempt 2
                00 00 00 00 00 00 00 03                  # evaluationId 3
                00 00 00 00 00 00 00 04                  # projectId 4
                """ + PKG_STRING + """
                01                                       # kind RUN
                00 00 00 02                              # pytestArgs: 2 items
                00 00 00 02 2d 71                        #   "-q"
                00 00 00 11 2d 2d 64 6f 63 74 65 73 74 2d 6d 6f 64 75 6c 65 73   # "--doctest-modules"
                00 00 00 02                              # env: 2 entries, sorted by key
                00 00 00 01 41  00 00 00 01 31           #   "A" = "1"
                00 00 00 0a 50 59 54 48 4f 4e 50 41 54 48  00 00 00 03 73 72 63   # "PYTHONPATH" = "src"
                00 00 00 02                              # nodeIds: 2 items
                00 00 00 17 74 65 73 74 73 2f 74 65 73 74 5f 61 2e 70 79 3a 3a 74 65 73 74 5f 78
                00 00 00 1a 74 65 73 74 73 2f 74 65 73 74 5f 62 2e 70 79 3a 3a 74 65 73 74 5f 79 5b 31 5d
                00 00 02 58                              # timeoutSeconds 600
                00 00 00 01                              # directives: 1 entry
                00 00 00 0c 69 6e 73 74 61 6c 6c 5f 64 65 70 73  00 00 00 04 74 72 75 65   # "install_deps" = "true"
                """);
    }

    @Test
    void packageChunk() {
        golden(new PackageChunk(SampleFrames.PKG, 1_048_576, new byte[] {0, -1, 127}), """
                43 44 03 11 00 00 00 53                  # type 0x11, payload 83 bytes
                """ + PKG_STRING + """
                00 00 00 00 00 10 00 00                  # offset i64 1 MiB
                00 00 00 03 00 ff 7f                     # data: 3 bytes
                """);
    }

    @Test
    void packageAckRefused() {
        golden(new PackageAck(SampleFrames.PKG, false, "bad"), "43 44 03 13 00 00 00 4c" + PKG_STRING + """
                00                                       # accepted false
                00 00 00 03 62 61 64                     # message "bad"
                """);
    }

    @Test
    void assignmentDoneCancelled() {
        golden(new AssignmentDone(9, 1, AssignmentDone.EXIT_CANCELLED, ""), """
                43 44 03 23 00 00 00 14
                00 00 00 00 00 00 00 09   # assignmentId 9
                00 00 00 01               # attempt 1
                ff ff ff fd               # exitCode i32 -3
                00 00 00 00               # detail ""
                """);
    }

    private void golden(Frame frame, String expectedHex) {
        byte[] expected = Hex.parse(expectedHex);
        assertThat(Hex.of(encoder.encode(frame))).as("encoding of %s", frame).isEqualTo(Hex.of(expected));

        FrameDecoder decoder = new FrameDecoder();
        assertThat(decoder.feed(expected, 0, expected.length)).containsExactly(frame);
        assertThat(decoder.violation()).isEmpty();
        assertThat(decoder.midFrame()).isFalse();
    }
}
