package io.cdnodes.protocol.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.PackageBegin;
import io.cdnodes.protocol.frame.PackageChunk;
import io.cdnodes.protocol.frame.PackageEnd;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chunking and digests, and that what the chunker sends the assembler accepts. */
class PackageChunkerTest {

    @TempDir
    Path dir;

    @Test
    void cutsAFileIntoBeginChunksInOrderAndEnd() throws Exception {
        byte[] content = new byte[2500];
        new Random(1).nextBytes(content);
        Path file = Files.write(dir.resolve("p.zip"), content);
        String id = PackageDigest.of(file);
        List<Frame> frames = new ArrayList<>();

        new PackageChunker(1000).send(id, file, frames::add);

        assertThat(frames).hasSize(5);
        assertThat(frames.get(0)).isEqualTo(new PackageBegin(id, 2500));
        assertThat(frames.subList(1, 4)).extracting(f -> ((PackageChunk) f).offset()).containsExactly(0L, 1000L, 2000L);
        assertThat(frames.subList(1, 4)).extracting(f -> ((PackageChunk) f).data().length).containsExactly(1000, 1000, 500);
        assertThat(frames.get(4)).isEqualTo(new PackageEnd(id));

        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PackageAssembler assembler = new PackageAssembler((PackageBegin) frames.get(0), 1 << 20, sink);
        for (Frame f : frames.subList(1, 4)) {
            assembler.onChunk((PackageChunk) f);
        }
        assembler.onEnd((PackageEnd) frames.get(4));
        assertThat(sink.toByteArray()).isEqualTo(content);
    }

    @Test
    void emptyFileIsBeginAndEnd() throws Exception {
        Path file = Files.write(dir.resolve("empty.zip"), new byte[0]);
        String id = PackageDigest.of(file);
        List<Frame> frames = new ArrayList<>();

        new PackageChunker(PackageChunker.DEFAULT_CHUNK_BYTES).send(id, file, frames::add);

        assertThat(frames).containsExactly(new PackageBegin(id, 0), new PackageEnd(id));
    }

    @Test
    void chunkSizeMustBePositiveAndDefaultsToOneMebibyte() {
        assertThatThrownBy(() -> new PackageChunker(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(PackageChunker.DEFAULT_CHUNK_BYTES).isEqualTo(1024 * 1024);
    }

    @Test
    void digestsAreLowerCaseSha256Hex() throws Exception {
        assertThat(PackageDigest.of(new byte[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(PackageDigest.of("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

        byte[] big = new byte[200_000];
        new Random(2).nextBytes(big);
        Path file = Files.write(dir.resolve("big"), big);
        assertThat(PackageDigest.of(file)).isEqualTo(PackageDigest.of(big));
    }
}
