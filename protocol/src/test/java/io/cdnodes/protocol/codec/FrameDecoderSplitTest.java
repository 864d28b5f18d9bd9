package io.cdnodes.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Heartbeat;
import io.cdnodes.protocol.frame.SampleFrames;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** However the stream is cut, the decoder produces the same frames. */
class FrameDecoderSplitTest {

    private static final FrameEncoder ENCODER = new FrameEncoder();

    static List<Frame> samples() {
        return SampleFrames.all();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everySplitPointGivesTheSameFrame(Frame frame) {
        byte[] bytes = ENCODER.encode(frame);
        for (int cut = 0; cut <= bytes.length; cut++) {
            FrameDecoder decoder = new FrameDecoder();
            List<Frame> frames = new ArrayList<>(decoder.feed(bytes, 0, cut));
            assertThat(decoder.midFrame()).as("mid-frame after %d of %d bytes", cut, bytes.length)
                    .isEqualTo(cut > 0 && cut < bytes.length);
            frames.addAll(decoder.feed(bytes, cut, bytes.length - cut));
            assertThat(frames).as("cut at %d", cut).containsExactly(frame);
            assertThat(decoder.violation()).isEmpty();
            assertThat(decoder.midFrame()).isFalse();
        }
    }

    @Test
    void everyPairOfSplitPointsGivesTheSameFrame() {
        Frame frame = SampleFrames.assignRun();
        byte[] bytes = ENCODER.encode(frame);
        for (int a = 0; a <= bytes.length; a++) {
            for (int b = a; b <= bytes.length; b++) {
                FrameDecoder decoder = new FrameDecoder();
                List<Frame> frames = new ArrayList<>(decoder.feed(bytes, 0, a));
                frames.addAll(decoder.feed(bytes, a, b - a));
                frames.addAll(decoder.feed(bytes, b, bytes.length - b));
                assertThat(frames).as("cuts at %d and %d", a, b).containsExactly(frame);
            }
        }
    }

    @Test
    void allSamplesConcatenatedDecodeInOrderFromOneBuffer() {
        byte[] all = concatenated(samples());
        FrameDecoder decoder = new FrameDecoder();

        assertThat(decoder.feed(ByteBuffer.wrap(all))).containsExactlyElementsOf(samples());
        assertThat(decoder.violation()).isEmpty();
    }

    @Test
    void allSamplesFedOneByteAtATime() {
        byte[] all = concatenated(samples());
        FrameDecoder decoder = new FrameDecoder();
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < all.length; i++) {
            frames.addAll(decoder.feed(all, i, 1));
        }
        assertThat(frames).containsExactlyElementsOf(samples());
        assertThat(decoder.midFrame()).isFalse();
    }

    @Test
    void everySplitOfTheConcatenationGivesTheSameFrames() {
        byte[] all = concatenated(samples());
        for (int cut = 0; cut <= all.length; cut++) {
            FrameDecoder decoder = new FrameDecoder();
            List<Frame> frames = new ArrayList<>(decoder.feed(all, 0, cut));
            frames.addAll(decoder.feed(all, cut, all.length - cut));
            assertThat(frames).as("cut at %d", cut).containsExactlyElementsOf(samples());
        }
    }

    @Test
    void randomPiecesGiveTheSameFrames() {
        byte[] all = concatenated(samples());
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            FrameDecoder decoder = new FrameDecoder();
            List<Frame> frames = new ArrayList<>();
            int pos = 0;
            while (pos < all.length) {
                int n = Math.min(all.length - pos, random.nextInt(40));
                frames.addAll(decoder.feed(all, pos, n));
                pos += n;
            }
            assertThat(frames).as("round %d", round).containsExactlyElementsOf(samples());
        }
    }

    @Test
    void feedConsumesTheWholeBufferAndAnEmptyBufferIsHarmless() {
        byte[] bytes = ENCODER.encode(new Heartbeat(1));
        ByteBuffer in = ByteBuffer.wrap(bytes);
        FrameDecoder decoder = new FrameDecoder();

        assertThat(decoder.feed(ByteBuffer.allocate(0))).isEmpty();
        assertThat(decoder.feed(in)).containsExactly(new Heartbeat(1));
        assertThat(in.hasRemaining()).isFalse();
        assertThat(decoder.midFrame()).isFalse();
    }

    static byte[] concatenated(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(f -> out.writeBytes(ENCODER.encode(f)));
        return out.toByteArray();
    }
}
