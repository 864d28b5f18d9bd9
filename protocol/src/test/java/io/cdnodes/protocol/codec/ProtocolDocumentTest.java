package io.cdnodes.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.protocol.frame.AssignmentKind;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.FrameType;
import io.cdnodes.protocol.frame.Heartbeat;
import io.cdnodes.protocol.frame.Hello;
import io.cdnodes.protocol.frame.Outcome;
import io.cdnodes.protocol.frame.SampleFrames;
import io.cdnodes.protocol.frame.TestResult;
import io.cdnodes.protocol.frame.Welcome;
import io.cdnodes.protocol.session.SessionTimeouts;
import io.cdnodes.protocol.transfer.PackageChunker;
import io.cdnodes.protocol.transfer.PackageDigest;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md cannot drift from the code: its hex dumps, codes, field order and defaults are checked here. */
class ProtocolDocumentTest {

    private static final Pattern HEX_BLOCK = Pattern.compile("```hex name=(\\w+)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern FIELD_ROW = Pattern.compile("^\\| (\\d+) \\| (\\w+) \\|", Pattern.MULTILINE);

    /** The frames behind the document's examples, by block name. */
    private static final Map<String, Frame> EXAMPLES = Map.of(
            "hello", new Hello(3, "worker-1", 4, "Python 3.12.3", "8.3.2", "s3cret",
                    List.of(PackageDigest.of("abc".getBytes(StandardCharsets.US_ASCII))), true),
            "welcome", new Welcome("w-17", 1000, 5000, 8_388_608, 1_048_576),
            "heartbeat", new Heartbeat(42),
            "test_result", new TestResult(7, 1, "tests/test_math.py::test_add[2-3]", Outcome.FAILED, 0.0125,
                    "assert 5 == 6", Map.of("phase", "call")));

    private final String doc = read();

    @Test
    void hexDumpsAreWhatTheEncoderProduces() {
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher m = HEX_BLOCK.matcher(doc);
        while (m.find()) {
            assertThat(blocks.put(m.group(1), m.group(2))).as("block %s appears once", m.group(1)).isNull();
        }
        assertThat(blocks.keySet()).containsExactlyInAnyOrderElementsOf(EXAMPLES.keySet());

        FrameEncoder encoder = new FrameEncoder();
        blocks.forEach((name, dump) -> {
            byte[] encoded = encoder.encode(EXAMPLES.get(name));
            assertThat(Hex.of(Hex.parseDump(dump))).as("bytes of block %s", name).isEqualTo(Hex.of(encoded));
            assertThat(dump).as("text of block %s", name).isEqualTo(Hex.dump(encoded));
            FrameDecoder decoder = new FrameDecoder();
            assertThat(decoder.feed(encoded, 0, encoded.length)).containsExactly(EXAMPLES.get(name));
        });
    }

    @Test
    void everyFrameTypeHasASectionWhoseFieldsAreTheRecordsInWireOrder() {
        Map<FrameType, Class<?>> records = new LinkedHashMap<>();
        SampleFrames.all().forEach(f -> records.putIfAbsent(f.type(), f.getClass()));
        for (FrameType type : FrameType.values()) {
            String heading = String.format("### %s (0x%02x)", type.name(), type.code());
            int start = doc.indexOf(heading);
            assertThat(start).as("section %s", heading).isNotNegative();
            int end = doc.indexOf("\n#", start + heading.length());
            String section = doc.substring(start, end < 0 ? doc.length() : end);

            List<String> documented = new ArrayList<>();
            Matcher row = FIELD_ROW.matcher(section);
            for (int n = 1; row.find(); n++) {
                assertThat(Integer.parseInt(row.group(1))).as("%s field numbering", type).isEqualTo(n);
                documented.add(row.group(2));
            }
            List<String> components = Arrays.stream(records.get(type).getRecordComponents())
                    .map(RecordComponent::getName).toList();
            assertThat(documented).as("fields of %s", type).containsExactlyElementsOf(components);
        }
    }

    @Test
    void everyCodeIsInItsTable() {
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(doc).contains(String.format("| %d | `%s` |", c.code(), c.name()));
        }
        for (Outcome o : Outcome.values()) {
            assertThat(doc).contains(String.format("| %d | %s | `%s` |", o.code(), o.name(), o.wireName()));
        }
        for (AssignmentKind k : AssignmentKind.values()) {
            assertThat(doc).contains(String.format("| %d | %s |", k.code(), k.name()));
        }
        assertThat(doc).contains("| -1 | killed", "| -2 | could not be started", "| -3 | cancelled");
    }

    @Test
    void limitsTableStatesTheDefaults() {
        SessionTimeouts t = SessionTimeouts.defaults();
        assertThat(doc).contains(
                "`" + CodecLimits.DEFAULT_MAX_PAYLOAD_BYTES + "` bytes",
                "`" + CodecLimits.DEFAULT_MAX_LIST_ITEMS + "`",
                "`" + t.handshake().toMillis() + "` ms",
                "`" + t.heartbeatInterval().toMillis() + "` ms",
                "`" + t.idle().toMillis() + "` ms",
                "`" + t.stalledFrame().toMillis() + "` ms",
                "`" + PackageChunker.DEFAULT_CHUNK_BYTES + "` bytes",
                String.format("`0x%02x` (ASCII `C`)", Wire.MAGIC_0),
                String.format("`0x%02x` (ASCII `D`)", Wire.MAGIC_1),
                String.format("| 2 | 1 | version | `0x%02x` |", Wire.VERSION));
    }

    private static String read() {
        Path doc = Path.of("PROTOCOL.md");
        if (!Files.exists(doc)) {
            doc = Path.of("protocol", "PROTOCOL.md"); // run from the repository root
        }
        try {
            return Files.readString(doc, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + doc.toAbsolutePath(), e);
        }
    }
}
