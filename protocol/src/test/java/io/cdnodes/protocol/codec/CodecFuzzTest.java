package io.cdnodes.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cdnodes.protocol.frame.Frame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of the decoder with Jazzer. On every build it fuzzes for
 * {@code cdnodes.fuzz.duration} (20 s); {@code ../mvnw -pl protocol test -Dtest=CodecFuzzTest
 * -Dcdnodes.fuzz.duration=30m} fuzzes longer. Findings are written under src/test/resources and replayed by
 * later runs. Invariants: the decoder never throws; whatever it decodes re-encodes to bytes that decode to an
 * equal frame; and splitting the input differently never changes the result.
 */
class CodecFuzzTest {

    private static final CodecLimits LIMITS = CodecLimits.defaults().withMaxPayloadBytes(64 * 1024);

    @FuzzTest(maxDuration = "20s")
    void decoderNeverThrowsAndRoundTrips(FuzzedDataProvider data) {
        int split = data.consumeInt(0, 4096);
        byte[] input = data.consumeRemainingAsBytes();

        FrameDecoder whole = new FrameDecoder(LIMITS);
        List<Frame> frames = whole.feed(ByteBuffer.wrap(input));

        FrameDecoder parts = new FrameDecoder(LIMITS);
        int cut = Math.min(split, input.length);
        List<Frame> again = new ArrayList<>(parts.feed(input, 0, cut));
        again.addAll(parts.feed(input, cut, input.length - cut));
        assertThat(again).isEqualTo(frames);
        assertThat(parts.violation()).isEqualTo(whole.violation());

        FrameEncoder encoder = new FrameEncoder(LIMITS);
        for (Frame f : frames) {
            FrameDecoder check = new FrameDecoder(LIMITS);
            assertThat(check.feed(ByteBuffer.wrap(encoder.encode(f)))).containsExactly(f);
            assertThat(check.violation()).isEmpty();
        }
    }
}
