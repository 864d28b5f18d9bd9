package io.cdnodes.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No record can hold a value the wire cannot carry, and the closed value sets map to stable codes. */
class FrameRecordsTest {

    private static final String PKG = SampleFrames.PKG;

    @Test
    void helloToStringNeverShowsTheToken() {
        Hello hello = new Hello(1, "w1", 2, "3.12", "8.0", "super-Secret-Token-42", List.of(PKG));

        assertThat(hello.toString()).doesNotContain("super-Secret-Token-42").doesNotContain("Secret")
                .contains("<redacted>").contains("w1");
        assertThat(new Hello(1, "w1", 2, "3.12", "8.0", "", List.of()).toString()).contains("token=<none>");
    }

    @Test
    void helloRefusesValuesOutsideU16() {
        assertThatThrownBy(() -> new Hello(-1, "w", 1, "", "", "", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Hello(1, "w", 65_536, "", "", "", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Hello(1, null, 1, "", "", "", List.of())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Hello(1, "w", 1, "", "", null, List.of())).isInstanceOf(NullPointerException.class);
    }

    @Test
    void welcomeRefusesValuesOutsideU32() {
        assertThatThrownBy(() -> new Welcome("w", 1L << 32, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Welcome("w", 1, -1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB",
            "abababababababababababababababababababababababababababababababa", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"})
    void packageIdsMustBe64LowerCaseHexDigits(String id) {
        assertThatThrownBy(() -> new PackageEnd(id)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PackageBegin(id, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PackageAck(id, true, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sizesOffsetsAndAttemptsMustNotBeNegative() {
        assertThatThrownBy(() -> new PackageBegin(PKG, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PackageChunk(PKG, -1, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PackageChunk(PKG, 0, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new TestResult(1, -1, "n", Outcome.PASSED, 0, ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Collected(1, -1, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Collected(1, 0, List.of("a", "b"), List.of("a")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AssignmentDone(1, -1, 0, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Assign(1, 0, 1, 1, PKG, AssignmentKind.RUN, List.of(), Map.of(), List.of(), -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Assign(1, 0, 1, 1, PKG, AssignmentKind.RUN, List.of(), Map.of(), List.of(),
                1L << 32)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void testResultRefusesADurationTheWireCannotCarry(double duration) {
        // the decoder refuses a non-finite f64, so a record holding one would poison the peer's decoder
        assertThatThrownBy(() -> new TestResult(1, 1, "t", Outcome.PASSED, duration, ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void collectionsAreCopied() {
        List<String> args = new ArrayList<>(List.of("-q"));
        Assign assign = new Assign(1, 0, 1, 1, PKG, AssignmentKind.RUN, args, Map.of(), List.of(), 1);
        args.add("-x");

        assertThat(assign.pytestArgs()).containsExactly("-q");
        assertThatThrownBy(() -> assign.nodeIds().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void packageChunkComparesItsBytesAndDoesNotPrintThem() {
        PackageChunk a = new PackageChunk(PKG, 3, new byte[] {1, 2, 3});
        PackageChunk b = new PackageChunk(PKG, 3, new byte[] {1, 2, 3});

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(new PackageChunk(PKG, 3, new byte[] {1, 2, 4}));
        assertThat(a).isNotEqualTo(new PackageChunk(PKG, 4, new byte[] {1, 2, 3}));
        assertThat(a.toString()).contains("length=3").doesNotContain("[B@");
    }

    @Test
    void everyRecordNamesItsType() {
        for (Frame f : SampleFrames.all()) {
            String snake = f.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
            assertThat(f.type().name()).isEqualTo(snake.equals("ERROR_FRAME") ? "ERROR" : snake);
        }
    }

    @Test
    void frameTypeCodesAreUniqueAndRoundTrip() {
        Set<Integer> codes = new HashSet<>();
        for (FrameType t : FrameType.values()) {
            assertThat(codes.add(t.code())).as("code of %s is unique", t).isTrue();
            assertThat(FrameType.fromCode(t.code())).contains(t);
        }
        assertThat(FrameType.fromCode(0)).isEmpty();
        assertThat(FrameType.fromCode(-1)).isEmpty();
        assertThat(FrameType.fromCode(256)).isEmpty();
    }

    @Test
    void directions() {
        assertThat(FrameType.HELLO.sentByWorker()).isTrue();
        assertThat(FrameType.HELLO.sentByCoordinator()).isFalse();
        assertThat(FrameType.ASSIGN.sentByWorker()).isFalse();
        assertThat(FrameType.ASSIGN.sentByCoordinator()).isTrue();
        assertThat(FrameType.ERROR.sentByWorker()).isTrue();
        assertThat(FrameType.HEARTBEAT.sentByCoordinator()).isTrue();
        assertThat(Arrays.stream(FrameType.values()).filter(FrameType::sentByWorker)).containsExactlyInAnyOrder(
                FrameType.HELLO, FrameType.ERROR, FrameType.HEARTBEAT, FrameType.DRAIN, FrameType.PACKAGE_ACK,
                FrameType.TEST_RESULT, FrameType.COLLECTED, FrameType.ASSIGNMENT_DONE, FrameType.TEST_STARTED);
    }

    @Test
    void enumCodesRoundTripAndUnknownCodesAreEmpty() {
        for (Outcome o : Outcome.values()) {
            assertThat(Outcome.fromCode(o.code())).contains(o);
            assertThat(Outcome.fromWireName(o.wireName())).contains(o);
        }
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(ErrorCode.fromCode(c.code())).contains(c);
        }
        for (AssignmentKind k : AssignmentKind.values()) {
            assertThat(AssignmentKind.fromCode(k.code())).contains(k);
        }
        assertThat(Outcome.fromCode(6)).isEmpty();
        assertThat(Outcome.fromWireName("PASSED")).isEmpty();
        assertThat(Outcome.XFAILED.wireName()).isEqualTo("xfailed");
        assertThat(ErrorCode.fromCode(0)).isEmpty();
        assertThat(ErrorCode.fromCode(15)).isEmpty();
        assertThat(AssignmentKind.fromCode(2)).isEmpty();
    }

    @Test
    void stableCodes() {
        assertThat(Arrays.stream(Outcome.values()).mapToInt(Outcome::code)).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(Arrays.stream(ErrorCode.values()).mapToInt(ErrorCode::code))
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14);
        assertThat(AssignmentKind.COLLECT.code()).isZero();
        assertThat(AssignmentKind.RUN.code()).isEqualTo(1);
        assertThat(AssignmentDone.EXIT_TIMEOUT).isEqualTo(-1);
        assertThat(AssignmentDone.EXIT_NOT_STARTED).isEqualTo(-2);
        assertThat(AssignmentDone.EXIT_CANCELLED).isEqualTo(-3);
    }

    @Test
    void reportCharsComeFromTheDirectiveWithinBounds() {
        java.util.function.Function<Map<String, String>, Integer> chars = d -> new Assign(1, 0, 1, 1, PKG,
                AssignmentKind.RUN, List.of(), Map.of(), List.of(), 1, d).reportChars();
        assertThat(chars.apply(Map.of())).isEqualTo(Assign.DEFAULT_REPORT_CHARS);
        assertThat(chars.apply(Map.of(Assign.REPORT_CHARS, "1000"))).isEqualTo(1000);
        assertThat(chars.apply(Map.of(Assign.REPORT_CHARS, "0"))).isZero();
        assertThat(chars.apply(Map.of(Assign.REPORT_CHARS, "-5"))).isZero();
        assertThat(chars.apply(Map.of(Assign.REPORT_CHARS, "99999999999"))).isEqualTo(Assign.MAX_REPORT_CHARS);
        assertThat(chars.apply(Map.of(Assign.REPORT_CHARS, "lots"))).isEqualTo(Assign.DEFAULT_REPORT_CHARS);
    }

    @Test
    void aLongReportValueKeepsItsBeginningAndItsEndAndSaysWhatWasCut() {
        String text = "a".repeat(100) + "b".repeat(300);
        String cut = TestResult.Report.cut(text, 40);
        assertThat(cut).startsWith("a".repeat(10) + "\n[... 360 characters cut by CD Nodes ...]\n")
                .endsWith("b".repeat(30)).hasSize(10 + 30 + "\n[... 360 characters cut by CD Nodes ...]\n".length());
        assertThat(TestResult.Report.cut("short", 40)).isEqualTo("short");
    }

    @Test
    void aBoundedReportKeepsKnownKeysAndSomePropertiesWithinTheTotal() {
        Map<String, String> report = new java.util.HashMap<>();
        report.put("longrepr", "x".repeat(50));
        report.put("stdout", "");
        report.put("unknown", "dropped");
        report.put("property:" + "n".repeat(300), "too long a name");
        for (int i = 0; i < 40; i++) {
            report.put(String.format("property:p%02d", i), "v" + i);
        }
        Map<String, String> kept = TestResult.Report.bounded(report, 20);

        assertThat(kept.get("longrepr")).contains("characters cut by CD Nodes");
        assertThat(kept).doesNotContainKeys("stdout", "unknown", "property:" + "n".repeat(300))
                .containsEntry("property:p00", "v0").doesNotContainKey("property:p32");
        assertThat(kept.keySet().stream().filter(k -> k.startsWith("property:")))
                .hasSize(TestResult.Report.MAX_PROPERTIES);
        assertThat(TestResult.Report.bounded(report, 0)).as("no reports asked for").isEmpty();
    }
}
