package io.cdnodes.agent.packages;

import static io.cdnodes.agent.packages.Packages.id;
import static io.cdnodes.agent.packages.Packages.transfer;
import static io.cdnodes.agent.packages.Packages.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdnodes.protocol.frame.PackageBegin;
import io.cdnodes.protocol.frame.PackageChunk;
import io.cdnodes.protocol.frame.PackageEnd;
import io.cdnodes.protocol.pkg.UnsafeArchiveException;
import io.cdnodes.protocol.pkg.UnzipLimits;
import io.cdnodes.protocol.transfer.PackageAssembler.TransferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageCacheTest {

    private static final byte[] A = zip(Map.of("tests/test_a.py", "def test_a():\n    pass\n", "conftest.py", ""));
    private static final byte[] B = zip(Map.of("test_b.py", "def test_b():\n    pass\n"));
    private static final byte[] C = zip(Map.of("test_c.py", "def test_c():\n    pass\n"));

    @TempDir
    Path tmp;

    private Path root() {
        return tmp.resolve("packages");
    }

    private PackageCache cache(int maxPackages) throws IOException {
        return new PackageCache(root(), maxPackages, 1024 * 1024, UnzipLimits.defaults());
    }

    private List<String> rootListing() throws IOException {
        try (Stream<Path> s = Files.list(root())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWholePackageIsUnpackedListedAndAcquirable() throws Exception {
        PackageCache cache = cache(4);

        transfer(cache, A, 100);

        assertThat(cache.ids()).containsExactly(id(A));
        Path dir = cache.acquire(id(A)).orElseThrow();
        assertThat(dir).isEqualTo(root().resolve(id(A)));
        assertThat(dir.resolve("tests/test_a.py")).hasContent("def test_a():\n    pass\n");
        assertThat(dir.resolve("conftest.py")).isEmptyFile();
        assertThat(rootListing()).containsExactly(id(A));
    }

    @Test
    void contentThatDoesNotMatchItsIdIsRefusedAndNotListed() throws Exception {
        PackageCache cache = cache(4);
        cache.begin(new PackageBegin(id(A), B.length));
        cache.chunk(new PackageChunk(id(A), 0, B));

        assertThatThrownBy(() -> cache.end(new PackageEnd(id(A)))).isInstanceOf(TransferException.class)
                .hasMessage("digest mismatch: content hashes to " + id(B));
        assertThat(cache.ids()).isEmpty();
        assertThat(cache.acquire(id(A))).isEmpty();
        assertThat(rootListing()).isEmpty();
    }

    @Test
    void aTruncatedTransferIsRefusedAndNotListed() throws Exception {
        PackageCache cache = cache(4);
        cache.begin(new PackageBegin(id(A), A.length));
        cache.chunk(new PackageChunk(id(A), 0, Arrays.copyOf(A, A.length - 10)));

        assertThatThrownBy(() -> cache.end(new PackageEnd(id(A)))).isInstanceOf(TransferException.class)
                .hasMessage("truncated: " + (A.length - 10) + " of " + A.length + " bytes arrived");
        assertThat(cache.ids()).isEmpty();
        assertThat(rootListing()).isEmpty();
    }

    @Test
    void anOutOfOrderChunkRefusesTheTransferOnceAndItsEndRepeatsTheReason() throws Exception {
        PackageCache cache = cache(4);
        cache.begin(new PackageBegin(id(A), A.length));

        assertThatThrownBy(() -> cache.chunk(new PackageChunk(id(A), 10, Arrays.copyOfRange(A, 10, 20))))
                .isInstanceOf(TransferException.class).hasMessage("chunk at offset 10 but 0 bytes have arrived");
        assertThat(rootListing()).as("nothing of the chunk was written").isEmpty();
        cache.chunk(new PackageChunk(id(A), 0, Arrays.copyOf(A, 10))); // the rest of the refused transfer: ignored
        assertThatThrownBy(() -> cache.end(new PackageEnd(id(A)))).isInstanceOf(TransferException.class)
                .hasMessage("chunk at offset 10 but 0 bytes have arrived");
        assertThat(cache.ids()).isEmpty();
        assertThatThrownBy(() -> cache.end(new PackageEnd(id(A)))).isInstanceOf(TransferException.class)
                .hasMessage("end without a transfer in progress");
    }

    @Test
    void aPackageAboveTheLimitIsRefusedAtItsBegin() throws Exception {
        PackageCache cache = new PackageCache(root(), 4, 100, UnzipLimits.defaults());

        assertThatThrownBy(() -> cache.begin(new PackageBegin(id(A), A.length)))
                .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.tooLarge()).isTrue())
                .hasMessage("package of " + A.length + " bytes is above the limit of 100");
        cache.chunk(new PackageChunk(id(A), 0, Arrays.copyOf(A, 50)));
        assertThatThrownBy(() -> cache.end(new PackageEnd(id(A)))).hasMessageContaining("above the limit");
        assertThat(rootListing()).isEmpty();
    }

    @Test
    void aTransferCutShortLeavesNothingBehind() throws Exception {
        PackageCache cache = cache(4);
        cache.begin(new PackageBegin(id(A), A.length));
        cache.chunk(new PackageChunk(id(A), 0, Arrays.copyOf(A, 10)));
        assertThat(rootListing()).singleElement().asString().startsWith("incoming-");

        cache.abortTransfer();

        assertThat(rootListing()).isEmpty();
        assertThatThrownBy(() -> cache.chunk(new PackageChunk(id(A), 10, Arrays.copyOfRange(A, 10, 20))))
                .hasMessage("chunk without a transfer in progress");
    }

    @Test
    void aZipSlipEntryIsRefusedAndNothingIsWrittenOutsideTheCache() throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("test_ok.py", "");
        entries.put("../evil.py", "import os\n");
        byte[] slip = zip(entries);
        PackageCache cache = cache(4);

        assertThatThrownBy(() -> transfer(cache, slip, 1000)).isInstanceOfSatisfying(UnsafeArchiveException.class,
                e -> assertThat(e.rule()).isEqualTo(UnsafeArchiveException.Rule.UNSAFE_PATH))
                .hasMessage("entry ../evil.py has a '..' segment that would leave its folder");
        assertThat(cache.ids()).isEmpty();
        assertThat(rootListing()).isEmpty();
        assertThat(tmp.resolve("evil.py")).doesNotExist();
    }

    @Test
    void theLeastRecentlyUsedPackageIsEvictedFirst() throws Exception {
        PackageCache cache = cache(2);
        transfer(cache, A, 1000);
        transfer(cache, B, 1000);
        cache.acquire(id(A));
        cache.release(id(A));

        transfer(cache, C, 1000);

        assertThat(cache.ids()).containsExactlyInAnyOrder(id(A), id(C));
        assertThat(rootListing()).containsExactlyInAnyOrder(id(A), id(C));
    }

    @Test
    void aPackageInUseIsNeverEvictedNorTheOneJustReceived() throws Exception {
        PackageCache cache = cache(1);
        transfer(cache, A, 1000);
        cache.acquire(id(A));
        cache.acquire(id(A));

        transfer(cache, B, 1000);

        assertThat(cache.ids()).as("over the limit while A runs").containsExactlyInAnyOrder(id(A), id(B));
        assertThat(cache.acquire(id(B))).contains(root().resolve(id(B)));
        cache.release(id(B));
        cache.release(id(A));
        transfer(cache, C, 1000);
        assertThat(cache.ids()).as("A is still used once").containsExactlyInAnyOrder(id(A), id(C));
        cache.release(id(A));
        transfer(cache, B, 1000);
        assertThat(cache.ids()).containsExactly(id(B));
        assertThat(rootListing()).containsExactly(id(B));
    }

    @Test
    void receivingAPackageHeldAlreadyKeepsIt() throws Exception {
        PackageCache cache = cache(4);
        transfer(cache, A, 1000);

        transfer(cache, A, 7);

        assertThat(cache.ids()).containsExactly(id(A));
        assertThat(rootListing()).containsExactly(id(A));
    }

    @Test
    void aRestartKeepsWholePackagesAndCleansLeftovers() throws Exception {
        transfer(cache(4), A, 1000);
        Files.createFile(root().resolve("incoming-123.zip"));
        Files.createDirectories(root().resolve("unpack-456/tests"));
        Files.writeString(root().resolve("unpack-456/tests/test_half.py"), "def test");
        Files.writeString(root().resolve(id(B)), "a file named like a package is not a package");
        Files.createDirectories(root().resolve(id(C).toUpperCase()));

        PackageCache restarted = cache(4);

        assertThat(restarted.ids()).containsExactly(id(A));
        assertThat(rootListing()).containsExactly(id(A));
        assertThat(restarted.acquire(id(A)).orElseThrow().resolve("tests/test_a.py")).exists();
    }
}
