package io.cdnodes.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Hello;
import io.cdnodes.protocol.frame.PackageChunk;
import io.cdnodes.protocol.frame.SampleFrames;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Before a peer has authenticated, its first frame (the HELLO) is held to a few KiB; after it, the normal limits
 * apply. Memory for a payload follows the bytes that arrived, never the length that was declared.
 */
class FirstFrameLimitTest {

    private static final FrameEncoder ENCODER = new FrameEncoder();
    private static final CodecLimits COORDINATOR = CodecLimits.coordinator();

    /** A HELLO of exactly {@code payloadBytes}, its worker name padded to fit. */
    static Hello helloOf(int payloadBytes) {
        Hello base = new Hello(1, "", 4, "Python 3.11.2", "9.0.1", "t0ken", List.of(SampleFrames.PKG));
        int fixed = ENCODER.encode(base).length - Wire.HEADER_BYTES;
        return new Hello(1, "w".repeat(payloadBytes - fixed), 4, "Python 3.11.2", "9.0.1", "t0ken",
                List.of(SampleFrames.PKG));
    }

    @Test
    void theCoordinatorsLimitsHoldTheFirstFrameToTheHelloLimitAndNothingElse() {
        assertThat(COORDINATOR.maxFirstPayloadBytes()).isEqualTo(CodecLimits.DEFAULT_MAX_HELLO_BYTES).isEqualTo(8192);
        assertThat(COORDINATOR.maxPayloadBytes()).isEqualTo(CodecLimits.DEFAULT_MAX_PAYLOAD_BYTES);
        assertThat(CodecLimits.defaults().maxFirstPayloadBytes()).isEqualTo(CodecLimits.DEFAULT_MAX_PAYLOAD_BYTES);
        assertThat(COORDINATOR.withMaxPayloadBytes(4096).maxFirstPayloadBytes()).isEqualTo(4096);
        assertThat(COORDINATOR.withMaxPayloadBytes(65536).maxFirstPayloadBytes()).isEqualTo(8192);
        assertThat(CodecLimits.defaults().withMaxPayloadBytes(65536).maxFirstPayloadBytes()).isEqualTo(65536);
        assertThatIllegalArgumentException().isThrownBy(() -> new CodecLimits(1024, 1, 1025));
        assertThatIllegalArgumentException().isThrownBy(() -> new CodecLimits(1024, 1, 0));
    }

    @Test
    void aHelloAtTheLimitFollowedByALargeFrameDecodesAtEverySplitOffset() {
        Hello hello = helloOf(CodecLimits.DEFAULT_MAX_HELLO_BYTES);
        PackageChunk chunk = new PackageChunk(SampleFrames.PKG, 0, new byte[3 * CodecLimits.DEFAULT_MAX_HELLO_BYTES]);
        byte[] helloBytes = ENCODER.encode(hello);
        assertThat(helloBytes.length - Wire.HEADER_BYTES).isEqualTo(CodecLimits.DEFAULT_MAX_HELLO_BYTES);
        byte[] all = ByteBuffer.allocate(helloBytes.length + ENCODER.encode(chunk).length).put(helloBytes)
                .put(ENCODER.encode(chunk)).array();

        for (int cut = 0; cut <= all.length; cut++) {
            FrameDecoder decoder = new FrameDecoder(COORDINATOR);
            List<Frame> frames = new ArrayList<>(decoder.feed(all, 0, cut));
            frames.addAll(decoder.feed(all, cut, all.length - cut));
            assertThat(frames).as("cut at %d", cut).containsExactly(hello, chunk);
            assertThat(decoder.violation()).isEmpty();
        }
    }

    @Test
    void aFirstFrameDeclaringMoreIsRefusedOnceItsHeaderIsCompleteAtEverySplitOffset() {
        byte[] bytes = ENCODER.encode(helloOf(CodecLimits.DEFAULT_MAX_HELLO_BYTES + 1));

        for (int cut = 0; cut <= Wire.HEADER_BYTES; cut++) {
            FrameDecoder decoder = new FrameDecoder(COORDINATOR);
            assertThat(decoder.feed(bytes, 0, cut)).isEmpty();
            if (cut < Wire.HEADER_BYTES) {
                assertThat(decoder.violation()).as("judged only with the whole header, cut at %d", cut).isEmpty();
            }
            assertThat(decoder.feed(bytes, cut, bytes.length - cut)).isEmpty();
            Violation v = decoder.violation().orElseThrow();
            assertThat(v.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(v.message()).isEqualTo("first frame's payload of 8193 bytes is above the limit of 8192 for a "
                    + "session's first frame");
            assertThat(decoder.payloadCapacity()).as("nothing taken for the refused payload").isZero();
        }
    }

    @Test
    void onlyTheFirstFrameIsHeldToTheLimit() {
        Hello small = helloOf(200);
        byte[] big = ENCODER.encode(helloOf(CodecLimits.DEFAULT_MAX_HELLO_BYTES + 1));
        FrameDecoder decoder = new FrameDecoder(COORDINATOR);

        assertThat(decoder.feed(ByteBuffer.wrap(ENCODER.encode(small)))).containsExactly(small);
        assertThat(decoder.feed(ByteBuffer.wrap(big))).hasSize(1);
        assertThat(decoder.violation()).isEmpty();
    }

    @Test
    void aPayloadTakesMemoryAsItArrivesNotAsDeclared() {
        byte[] data = new byte[5 * 1024 * 1024];
        Arrays.fill(data, (byte) 7);
        byte[] bytes = ENCODER.encode(new PackageChunk(SampleFrames.PKG, 0, data));
        FrameDecoder decoder = new FrameDecoder(COORDINATOR.withMaxFirstPayloadBytes(COORDINATOR.maxPayloadBytes()));

        assertThat(decoder.feed(bytes, 0, Wire.HEADER_BYTES + 10)).isEmpty();
        assertThat(decoder.midFrame()).isTrue();
        assertThat(decoder.payloadCapacity()).as("after 10 payload bytes").isEqualTo(1024);

        int pos = Wire.HEADER_BYTES + 10;
        int step = 64 * 1024;
        while (pos + step < bytes.length) {
            assertThat(decoder.feed(bytes, pos, step)).isEmpty();
            pos += step;
            int received = pos - Wire.HEADER_BYTES;
            assertThat(decoder.payloadCapacity()).as("after %d payload bytes", received)
                    .isGreaterThanOrEqualTo(received).isLessThanOrEqualTo(2 * received);
        }
        List<Frame> frames = decoder.feed(bytes, pos, bytes.length - pos);
        assertThat(frames).containsExactly(new PackageChunk(SampleFrames.PKG, 0, data));
        assertThat(decoder.payloadCapacity()).as("released with the frame").isZero();
    }

    @Test
    void whatIsAtHandIsTakenInOnePieceAndNeverMoreThanDeclared() {
        PackageChunk chunk = new PackageChunk(SampleFrames.PKG, 0, new byte[100_000]);
        byte[] bytes = ENCODER.encode(chunk);
        FrameDecoder decoder = new FrameDecoder();

        assertThat(decoder.feed(bytes, 0, bytes.length - 1)).isEmpty();
        assertThat(decoder.payloadCapacity()).isEqualTo(bytes.length - Wire.HEADER_BYTES - 1);
        assertThat(decoder.feed(bytes, bytes.length - 1, 1)).containsExactly(chunk);
    }
}
