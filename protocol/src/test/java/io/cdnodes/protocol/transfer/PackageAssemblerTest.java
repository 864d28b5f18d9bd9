package io.cdnodes.protocol.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdnodes.protocol.frame.PackageBegin;
import io.cdnodes.protocol.frame.PackageChunk;
import io.cdnodes.protocol.frame.PackageEnd;
import io.cdnodes.protocol.transfer.PackageAssembler.TransferException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class PackageAssemblerTest {

    private static final byte[] CONTENT = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
    private static final String ID = PackageDigest.of(CONTENT);
    private static final long MAX = 1024;

    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();

    @Test
    void goodTransferWritesTheContentAndVerifies() throws Exception {
        PackageAssembler assembler = new PackageAssembler(new PackageBegin(ID, CONTENT.length), MAX, sink);

        assembler.onChunk(chunk(0, 8));
        assembler.onChunk(chunk(8, 8));
        assembler.onChunk(chunk(16, 4));
        assembler.onEnd(new PackageEnd(ID));

        assertThat(sink.toByteArray()).isEqualTo(CONTENT);
        assertThat(assembler.received()).isEqualTo(CONTENT.length);
        assertThat(assembler.packageId()).isEqualTo(ID);
    }

    @Test
    void emptyPackage() throws Exception {
        String emptyId = PackageDigest.of(new byte[0]);
        PackageAssembler assembler = new PackageAssembler(new PackageBegin(emptyId, 0), MAX, sink);

        assembler.onEnd(new PackageEnd(emptyId));

        assertThat(sink.size()).isZero();
    }

    @Test
    void outOfOrderChunkIsRefused() throws Exception {
        PackageAssembler assembler = new PackageAssembler(new PackageBegin(ID, CONTENT.length), MAX, sink);
        assembler.onChunk(chunk(0, 8));

        assertRefused(() -> assembler.onChunk(chunk(0, 8)), "offset 0");
        assertThat(sink.size()).as("nothing of the refused chunk was written").isEqualTo(8);
    }

    @Test
    void gapIsRefused() throws Exception {
        PackageAssembler assembler = new PackageAssembler(new PackageBegin(ID, CONTENT.length), MAX, sink);
        assembler.onChunk(chunk(0, 8));

        assertRefused(() -> assembler.onChunk(chunk(12, 8)), "offset 12");
    }

    @Test
    void bytesBeyondTheAnnouncedSizeAreRefusedBeforeTheyAreWritten() throws Exception {
        PackageAssembler assembler = new PackageAssembler(new PackageBegin(ID, CONTENT.length), MAX, sink);
        assembler.onChunk(chunk(0, 16));

        assertRefused(() -> assembler.onChunk(new PackageChunk(ID, 16, new byte[5])), "exceed");
        assertThat(sink.size()).isEqualTo(16);
    }

    @Test
    void endBeforeAllBytesIsTruncated() throws Exception {
        PackageAssembler assembler = new PackageAssembler(new PackageBegin(ID, CONTENT.length), MAX, sink);
        assembler.onChunk(chunk(0, 8));

        assertRefused(() -> assembler.onEnd(new PackageEnd(ID)), "truncated");
    }

    @Test
    void contentThatDoesNotHashToTheIdIsRefused() throws Exception {
        byte[] other = CONTENT.clone();
        other[3] ^= 1;
        PackageAssembler assembler = new PackageAssembler(new PackageBegin(ID, other.length), MAX, sink);
        assembler.onChunk(new PackageChunk(ID, 0, other));

        assertRefused(() -> assembler.onEnd(new PackageEnd(ID)), "digest mismatch");
    }

    @Test
    void chunksAndEndOfAnotherPackageAreRefused() throws Exception {
        String otherId = PackageDigest.of(new byte[] {1});
        PackageAssembler assembler = new PackageAssembler(new PackageBegin(ID, CONTENT.length), MAX, sink);

        assertRefused(() -> assembler.onChunk(new PackageChunk(otherId, 0, new byte[] {1})), otherId);
        assertRefused(() -> assembler.onEnd(new PackageEnd(otherId)), otherId);
    }

    @Test
    void packageAboveTheLimitIsRefusedUpFrontAsTooLarge() {
        assertThatThrownBy(() -> new PackageAssembler(new PackageBegin(ID, MAX + 1), MAX, sink))
                .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.tooLarge()).isTrue())
                .hasMessageContaining("above the limit");
        assertThat(sink.size()).isZero();
    }

    @Test
    void packageExactlyAtTheLimitIsAccepted() throws Exception {
        byte[] content = new byte[(int) MAX];
        String id = PackageDigest.of(content);
        PackageAssembler assembler = new PackageAssembler(new PackageBegin(id, MAX), MAX, sink);

        assembler.onChunk(new PackageChunk(id, 0, content));
        assembler.onEnd(new PackageEnd(id));

        assertThat(sink.size()).isEqualTo((int) MAX);
    }

    private static PackageChunk chunk(int offset, int length) {
        return new PackageChunk(ID, offset, Arrays.copyOfRange(CONTENT, offset, offset + length));
    }

    private static void assertRefused(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TransferException.class,
                e -> assertThat(e.tooLarge()).as("only a size limit is tooLarge").isFalse())
                .hasMessageContaining(message);
    }
}
