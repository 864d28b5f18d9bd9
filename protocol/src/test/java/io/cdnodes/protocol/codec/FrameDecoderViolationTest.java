package io.cdnodes.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Heartbeat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input becomes one {@link Violation} with the right code, and the decoder stays poisoned. */
class FrameDecoderViolationTest {

    private static final String PKG = "00000040" + "6162".repeat(32);
    private static final byte[] GOOD = new FrameEncoder().encode(new Heartbeat(1));

    @Test
    void httpRequestIsBadMagic() {
        byte[] http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        FrameDecoder decoder = new FrameDecoder();

        assertThat(decoder.feed(http, 0, 7)).isEmpty();
        assertThat(decoder.violation()).as("not judged before the header is complete").isEmpty();
        assertPoisoned(decoder, decoder.feed(http, 7, http.length - 7), ErrorCode.MALFORMED_FRAME);
        assertThat(decoder.violation().orElseThrow().message()).contains("magic");
    }

    @Test
    void secondMagicByteIsCheckedToo() {
        assertViolation("43 45 01 04 00 00 00 08  00 00 00 00 00 00 00 01", ErrorCode.MALFORMED_FRAME);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 4, 255})
    void unknownVersion(int version) {
        assertViolation(String.format("43 44 %02x 04 00 00 00 08  00 00 00 00 00 00 00 01", version),
                ErrorCode.UNSUPPORTED_VERSION);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x06, 0x0f, 0x14, 0x25, 0x99, 0xff})
    void unknownType(int type) {
        assertViolation(String.format("43 44 03 %02x 00 00 00 00", type), ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void declaredLengthAboveTheLimitIsRefusedOnceTheHeaderIsComplete() {
        FrameDecoder decoder = new FrameDecoder(CodecLimits.defaults().withMaxPayloadBytes(1024));
        byte[] header = Hex.parse("43 44 03 11 00 00 04 01"); // 1025 bytes declared, none sent

        assertThat(decoder.feed(header, 0, 7)).isEmpty();
        assertThat(decoder.violation()).isEmpty();
        assertPoisoned(decoder, decoder.feed(header, 7, 1), ErrorCode.FRAME_TOO_LARGE);
    }

    @Test
    void hugeDeclaredLengthsAreRefusedWithTheDefaultLimit() {
        assertViolation("43 44 03 11 ff ff ff ff", ErrorCode.FRAME_TOO_LARGE);
        assertViolation("43 44 03 11 00 80 00 01", ErrorCode.FRAME_TOO_LARGE);
    }

    @Test
    void declaredLengthAtTheLimitIsAcceptedAndAwaitsItsPayload() {
        FrameDecoder decoder = new FrameDecoder(CodecLimits.defaults().withMaxPayloadBytes(1024));
        byte[] header = Hex.parse("43 44 03 11 00 00 04 00");

        assertThat(decoder.feed(header, 0, header.length)).isEmpty();
        assertThat(decoder.violation()).isEmpty();
        assertThat(decoder.midFrame()).isTrue();
    }

    @Test
    void truncatedFields() {
        assertViolation(frame(0x04, ""), ErrorCode.MALFORMED_FRAME); // HEARTBEAT without its i64
        assertViolation(frame(0x04, "00 00 00 01"), ErrorCode.MALFORMED_FRAME);
        assertViolation(frame(0x03, "00 03 00 00 00 05 6e 6f"), ErrorCode.MALFORMED_FRAME); // string runs past
        assertViolation(frame(0x03, "00"), ErrorCode.MALFORMED_FRAME); // half a u16
        assertViolation(frame(0x05, "00 00 00"), ErrorCode.MALFORMED_FRAME); // half a length
        assertViolation(frame(0x11, PKG + "00 00 00 00 00 00 00 00  00 00 00 04 01 02"), ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void trailingBytes() {
        assertViolation(frame(0x04, "00 00 00 00 00 00 00 01 00"), ErrorCode.MALFORMED_FRAME);
        assertViolation(frame(0x12, PKG + "ff"), ErrorCode.MALFORMED_FRAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ff", "c0 80", "ed a0 80", "e2 9c", "80", "f8 88 80 80 80", "f4 90 80 80"})
    void invalidUtf8(String bytes) {
        byte[] raw = Hex.parse(bytes);
        assertViolation(frame(0x05, String.format("%08x", raw.length) + bytes), ErrorCode.MALFORMED_FRAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"02", "ff"})
    void boolOtherThanZeroOrOne(String bool) {
        assertViolation(frame(0x13, PKG + bool + "00 00 00 00"), ErrorCode.MALFORMED_FRAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"06", "ff"})
    void unknownOutcome(String outcome) {
        assertViolation(frame(0x21, "00 00 00 00 00 00 00 01  00 00 00 00  00 00 00 00" + outcome
                + "00 00 00 00 00 00 00 00  00 00 00 00"), ErrorCode.MALFORMED_FRAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"00 00", "00 0f", "ff ff"})
    void unknownErrorCode(String code) {
        assertViolation(frame(0x03, code + "00 00 00 00"), ErrorCode.MALFORMED_FRAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"02", "ff"})
    void unknownAssignmentKind(String kind) {
        assertViolation(frame(0x20, assignPayload("00 00 00 01", kind)), ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void attemptAboveIntRangeIsRefused() {
        assertViolation(frame(0x20, assignPayload("80 00 00 00", "01")), ErrorCode.MALFORMED_FRAME);
        assertViolation(frame(0x22, "00 00 00 00 00 00 00 01  ff ff ff ff  00 00 00 00"), ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void listCountLargerThanThePayload() {
        assertViolation(frame(0x22, "00 00 00 00 00 00 00 01  00 00 00 01  00 00 03 e8  00 00 00 00"),
                ErrorCode.MALFORMED_FRAME);
        assertViolation(frame(0x22, "00 00 00 00 00 00 00 01  00 00 00 01  ff ff ff ff"), ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void listCountAboveTheItemLimit() {
        FrameDecoder decoder = new FrameDecoder(new CodecLimits(1024, 2));
        byte[] bytes = Hex.parse(frame(0x22, "00 00 00 00 00 00 00 01  00 00 00 01  00 00 00 03"
                + "00 00 00 00".repeat(3)));

        assertPoisoned(decoder, decoder.feed(bytes, 0, bytes.length), ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void mapRepeatingAKey() {
        String env = "00 00 00 02  00 00 00 01 41 00 00 00 00  00 00 00 01 41 00 00 00 00";
        assertViolation(frame(0x20, "00 00 00 00 00 00 00 01  00 00 00 01  00 00 00 00 00 00 00 01"
                + "00 00 00 00 00 00 00 01" + PKG + "01  00 00 00 00" + env + "00 00 00 00  00 00 00 3c"),
                ErrorCode.MALFORMED_FRAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"7f f8 00 00 00 00 00 00", "7f f0 00 00 00 00 00 00", "ff f0 00 00 00 00 00 00",
            "ff ff ff ff ff ff ff ff"})
    void nonFiniteDuration(String f64) {
        assertViolation(frame(0x21, "00 00 00 00 00 00 00 01  00 00 00 00  00 00 00 00  00" + f64 + "00 00 00 00"),
                ErrorCode.MALFORMED_FRAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "upper"})
    void invalidPackageId(String kind) {
        String id = switch (kind) {
            case "" -> "00 00 00 00";
            case "abc" -> "00 00 00 03 61 62 63";
            default -> "00 00 00 40" + "4142".repeat(32); // "ABAB...": upper case is not a package id
        };
        assertViolation(frame(0x12, id), ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void negativeSizeOrOffsetIsRefused() {
        assertViolation(frame(0x10, PKG + "ff ff ff ff ff ff ff ff"), ErrorCode.MALFORMED_FRAME);
        assertViolation(frame(0x11, PKG + "80 00 00 00 00 00 00 00  00 00 00 00"), ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void framesBeforeTheViolationAreReturnedAndNothingAfterIt() {
        byte[] bad = Hex.parse("47 45 54 20 2f 20 48 54");
        ByteBuffer in = ByteBuffer.allocate(GOOD.length * 2 + bad.length).put(GOOD).put(bad).put(GOOD).flip();
        FrameDecoder decoder = new FrameDecoder();

        assertThat(decoder.feed(in)).containsExactly(new Heartbeat(1));
        assertThat(decoder.violation()).map(Violation::code).contains(ErrorCode.MALFORMED_FRAME);
        assertThat(in.remaining()).as("input after the violation is left unread").isEqualTo(GOOD.length);
        assertThat(decoder.feed(in)).isEmpty();
    }

    @Test
    void midFrameIsTrueOnlyWhileAFrameIsIncomplete() {
        FrameDecoder decoder = new FrameDecoder();
        assertThat(decoder.midFrame()).isFalse();
        decoder.feed(GOOD, 0, 1);
        assertThat(decoder.midFrame()).as("one header byte").isTrue();
        decoder.feed(GOOD, 1, Wire.HEADER_BYTES - 1);
        assertThat(decoder.midFrame()).as("header complete, payload pending").isTrue();
        decoder.feed(GOOD, Wire.HEADER_BYTES, GOOD.length - Wire.HEADER_BYTES);
        assertThat(decoder.midFrame()).as("frame complete").isFalse();
        decoder.feed(Hex.parse("43 44 03 04 00 00 00 08 00 00"), 0, 10);
        assertThat(decoder.midFrame()).isTrue();
        byte[] rest = Hex.parse("00 00 00 00 00 01  47 45 54 20 2f 20 48 54"); // the heartbeat's end, then "GET / HT"
        assertThat(decoder.feed(rest, 0, rest.length)).containsExactly(new Heartbeat(1));
        assertThat(decoder.violation()).isPresent();
        assertThat(decoder.midFrame()).as("a poisoned decoder is not mid-frame").isFalse();
    }

    @Test
    void violationBecomesAnErrorFrame() {
        Violation v = new Violation(ErrorCode.FRAME_TOO_LARGE, "too big");
        assertThat(v.toErrorFrame().code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        assertThat(v.toErrorFrame().message()).isEqualTo("too big");
    }

    private static String assignPayload(String attempt, String kind) {
        return "00 00 00 00 00 00 00 01" + attempt + "00 00 00 00 00 00 00 01  00 00 00 00 00 00 00 01" + PKG + kind
                + "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 3c";
    }

    /** A well-formed header for {@code type} around the given payload hex. */
    static String frame(int type, String payloadHex) {
        int length = Hex.parse(payloadHex).length;
        return String.format("43 44 03 %02x %08x ", type, length) + payloadHex;
    }

    private static void assertViolation(String hex, ErrorCode code) {
        byte[] bytes = Hex.parse(hex);
        FrameDecoder decoder = new FrameDecoder();
        assertPoisoned(decoder, decoder.feed(bytes, 0, bytes.length), code);
    }

    private static void assertPoisoned(FrameDecoder decoder, List<Frame> frames, ErrorCode code) {
        assertThat(frames).isEmpty();
        Violation violation = decoder.violation().orElseThrow(() -> new AssertionError("no violation"));
        assertThat(violation.code()).as(violation.message()).isEqualTo(code);
        assertThat(decoder.midFrame()).isFalse();
        for (int i = 0; i < 3; i++) {
            assertThat(decoder.feed(GOOD, 0, GOOD.length)).as("a poisoned decoder decodes nothing").isEmpty();
        }
        assertThat(decoder.violation()).contains(violation);
    }
}
