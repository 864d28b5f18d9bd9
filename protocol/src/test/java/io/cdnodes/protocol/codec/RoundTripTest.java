package io.cdnodes.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.FrameType;
import io.cdnodes.protocol.frame.Heartbeat;
import io.cdnodes.protocol.frame.PackageChunk;
import io.cdnodes.protocol.frame.SampleFrames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RoundTripTest {

    private final FrameEncoder encoder = new FrameEncoder();

    static List<Frame> samples() {
        return SampleFrames.all();
    }

    @Test
    void samplesCoverEveryFrameType() {
        Set<FrameType> covered = samples().stream().map(Frame::type).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(FrameType.class));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void decodesBackToTheSameFrame(Frame frame) {
        byte[] bytes = encoder.encode(frame);

        FrameDecoder decoder = new FrameDecoder();
        List<Frame> decoded = decoder.feed(bytes, 0, bytes.length);

        assertThat(decoded).containsExactly(frame);
        assertThat(decoder.violation()).isEmpty();
        assertThat(encoder.encode(decoded.get(0))).as("re-encoding is byte-identical").isEqualTo(bytes);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void headerNamesTypeVersionAndPayloadLength(Frame frame) {
        byte[] bytes = encoder.encode(frame);

        assertThat(bytes[0]).isEqualTo((byte) 'C');
        assertThat(bytes[1]).isEqualTo((byte) 'D');
        assertThat(bytes[2]).isEqualTo((byte) Wire.VERSION);
        assertThat(bytes[3] & 0xFF).isEqualTo(frame.type().code());
        long length = ((bytes[4] & 0xFFL) << 24) | ((bytes[5] & 0xFF) << 16) | ((bytes[6] & 0xFF) << 8) | (bytes[7] & 0xFF);
        assertThat(length).isEqualTo(bytes.length - Wire.HEADER_BYTES);
    }

    @Test
    void writeSendsTheEncodedBytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Heartbeat frame = new Heartbeat(3);

        encoder.write(frame, out);

        assertThat(out.toByteArray()).isEqualTo(encoder.encode(frame));
    }

    @Test
    void aFrameExactlyAtThePayloadLimitPassesAndOneByteMoreIsRefusedByTheEncoder() {
        CodecLimits limits = CodecLimits.defaults().withMaxPayloadBytes(1024);
        FrameEncoder small = new FrameEncoder(limits);
        // PACKAGE_CHUNK payload: id (4 + 64) + offset (8) + data length (4) + data
        PackageChunk atLimit = new PackageChunk(SampleFrames.PKG, 0, new byte[1024 - 80]);
        PackageChunk overLimit = new PackageChunk(SampleFrames.PKG, 0, new byte[1024 - 79]);

        byte[] bytes = small.encode(atLimit);
        FrameDecoder decoder = new FrameDecoder(limits);

        assertThat(bytes).hasSize(Wire.HEADER_BYTES + 1024);
        assertThat(decoder.feed(bytes, 0, bytes.length)).containsExactly(atLimit);
        assertThatThrownBy(() -> small.encode(overLimit))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("above the limit");
    }

    @Test
    void equalMapsEncodeToEqualBytesWhateverTheirOrder() {
        byte[] a = encoder.encode(SampleFrames.assignRun());
        Map<String, String> reversed = new TreeMap<>(Comparator.reverseOrder());
        reversed.putAll(SampleFrames.assignRun().env());
        Assign b = SampleFrames.assignRun();
        byte[] other = encoder.encode(new Assign(b.assignmentId(), b.attempt(),
                b.evaluationId(), b.projectId(), b.packageId(), b.kind(), b.pytestArgs(), reversed, b.nodeIds(),
                b.timeoutSeconds(), b.directives()));

        assertThat(other).isEqualTo(a);
    }

    @Test
    void codecLimitsRefuseUselessValues() {
        assertThatThrownBy(() -> new CodecLimits(1023, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CodecLimits(1024, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(CodecLimits.defaults()).isEqualTo(new CodecLimits(8 * 1024 * 1024, 1_000_000));
        assertThat(CodecLimits.defaults().withMaxPayloadBytes(4096).maxListItems()).isEqualTo(1_000_000);
    }
}
