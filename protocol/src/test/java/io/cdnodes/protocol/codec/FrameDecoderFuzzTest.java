package io.cdnodes.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.FrameType;
import io.cdnodes.protocol.frame.SampleFrames;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated input never makes the decoder throw: it yields frames, or a violation and then
 * nothing. Seeded, so a failure is reproducible from the printed round.
 */
class FrameDecoderFuzzTest {

    private static final int ROUNDS = 20_000;
    /** Small enough that a mutated length byte cannot make every round allocate megabytes. */
    private static final CodecLimits LIMITS = CodecLimits.defaults().withMaxPayloadBytes(64 * 1024);
    private static final FrameType[] TYPES = FrameType.values();

    private final Random random = new Random(0xCD_C0DEL);

    @Test
    void randomBuffers() {
        for (int round = 0; round < ROUNDS; round++) {
            byte[] bytes = new byte[random.nextInt(80)];
            random.nextBytes(bytes);
            check(round, bytes);
        }
    }

    @Test
    void randomPayloadsBehindValidHeaders() {
        for (int round = 0; round < ROUNDS; round++) {
            int length = random.nextInt(120);
            byte[] bytes = new byte[Wire.HEADER_BYTES + length];
            random.nextBytes(bytes);
            bytes[0] = Wire.MAGIC_0;
            bytes[1] = Wire.MAGIC_1;
            bytes[2] = Wire.VERSION;
            bytes[3] = (byte) TYPES[random.nextInt(TYPES.length)].code();
            bytes[4] = 0;
            bytes[5] = 0;
            bytes[6] = (byte) (length >>> 8);
            bytes[7] = (byte) length;
            check(round, bytes);
        }
    }

    @Test
    void validFramesWithFlippedBytes() {
        FrameEncoder encoder = new FrameEncoder(LIMITS);
        List<byte[]> valid = SampleFrames.all().stream().map(encoder::encode).toList();
        for (int round = 0; round < ROUNDS; round++) {
            byte[] bytes = valid.get(random.nextInt(valid.size())).clone();
            int flips = 1 + random.nextInt(3);
            for (int i = 0; i < flips; i++) {
                bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
            }
            check(round, bytes);
        }
    }

    @Test
    void validFramesCutShortAreNeverDecodedNorRefused() {
        FrameEncoder encoder = new FrameEncoder(LIMITS);
        for (Frame frame : SampleFrames.all()) {
            byte[] bytes = encoder.encode(frame);
            for (int length = 1; length < bytes.length; length++) {
                FrameDecoder decoder = new FrameDecoder(LIMITS);
                assertThat(decoder.feed(bytes, 0, length)).isEmpty();
                assertThat(decoder.violation()).isEmpty();
                assertThat(decoder.midFrame()).isTrue();
            }
        }
    }

    private void check(int round, byte[] bytes) {
        FrameDecoder decoder = new FrameDecoder(LIMITS);
        List<Frame> frames = new ArrayList<>();
        try {
            int pos = 0;
            while (pos < bytes.length) {
                int n = Math.min(bytes.length - pos, 1 + random.nextInt(16));
                frames.addAll(decoder.feed(bytes, pos, n));
                pos += n;
            }
            if (decoder.violation().isPresent()) {
                assertThat(decoder.feed(bytes, 0, bytes.length)).isEmpty();
                assertThat(decoder.midFrame()).isFalse();
            }
        } catch (RuntimeException e) {
            fail("round " + round + ": decoder threw on " + Hex.of(bytes), e);
        }
        for (Frame f : frames) {
            assertThat(f.type()).isNotNull();
        }
    }
}
