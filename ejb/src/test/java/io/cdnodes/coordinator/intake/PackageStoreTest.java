package io.cdnodes.coordinator.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdnodes.protocol.transfer.PackageDigest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PackageStoreTest {

    private static final byte[] CONTENT = "package bytes".getBytes(StandardCharsets.US_ASCII);
    private static final String ID = PackageDigest.of(CONTENT);

    @TempDir
    Path dir;

    private PackageStore store;

    @BeforeEach
    void setUp() {
        store = new PackageStore(dir.resolve("a/b/packages"));
    }

    @Test
    void createsItsFolder() {
        assertThat(dir.resolve("a/b/packages")).isEmptyDirectory();
    }

    @Test
    void putMovesTheFileUnderItsDigest() throws Exception {
        Path file = Files.write(store.scratch("t").resolve("p.zip"), CONTENT);

        PackageStore.Stored stored = store.put(file);

        assertThat(stored).isEqualTo(new PackageStore.Stored(ID, CONTENT.length));
        assertThat(file).doesNotExist();
        assertThat(store.path(ID)).isEqualTo(dir.resolve("a/b/packages/" + ID + ".zip")).hasBinaryContent(CONTENT);
        assertThat(store.contains(ID)).isTrue();
    }

    @Test
    void storingSameContentAgainCountsAsStoredNowSoRetentionKeepsIt() throws Exception {
        store.put(Files.write(store.scratch("t").resolve("p.zip"), CONTENT));
        Instant longAgo = Instant.now().minus(Duration.ofDays(10));
        Files.setLastModifiedTime(store.path(ID), FileTime.from(longAgo));
        assertThat(store.lastStored(ID).orElseThrow()).isBefore(longAgo.plusSeconds(1));

        Instant before = Instant.now().minusSeconds(1);
        store.put(Files.write(store.scratch("t").resolve("again.zip"), CONTENT));

        assertThat(store.lastStored(ID).orElseThrow()).isAfter(before);
        assertThat(store.deleteUnlessStoredSince(ID, before)).isFalse();
        assertThat(store.contains(ID)).isTrue();
    }

    @Test
    void aPackageNotStoredSinceTheGivenInstantIsDeleted() throws Exception {
        store.put(Files.write(store.scratch("t").resolve("p.zip"), CONTENT));
        Files.setLastModifiedTime(store.path(ID), FileTime.from(Instant.now().minus(Duration.ofDays(10))));

        assertThat(store.deleteUnlessStoredSince(ID, Instant.now().minus(Duration.ofHours(1)))).isTrue();

        assertThat(store.contains(ID)).isFalse();
        assertThat(store.lastStored(ID)).isEmpty();
        assertThat(store.deleteUnlessStoredSince(ID, Instant.now())).as("already gone").isFalse();
    }

    @Test
    void sameContentTwiceKeepsOneFile() throws Exception {
        PackageStore.Stored first = store.put(Files.write(dir.resolve("one.zip"), CONTENT));
        Path again = Files.write(dir.resolve("two.zip"), CONTENT);

        PackageStore.Stored second = store.put(again);

        assertThat(second).isEqualTo(first);
        assertThat(again).doesNotExist();
        try (Stream<Path> s = Files.list(dir.resolve("a/b/packages"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly(ID + ".zip");
        }
    }

    @Test
    void unknownIdIsNotContained() {
        assertThat(store.contains("0".repeat(64))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "../../etc/passwd", "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
            "0000000000000000000000000000000000000000000000000000000000000000.zip",
            "000000000000000000000000000000000000000000000000000000000000000g"})
    void pathRefusesWhatIsNotAnId(String id) {
        assertThatThrownBy(() -> store.path(id)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a package id: " + id);
        assertThatThrownBy(() -> store.contains(id)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scratchFoldersAreFreshAndInsideTheStore() throws Exception {
        Path one = store.scratch("intake");
        Path two = store.scratch("intake");

        assertThat(one).isEmptyDirectory().isNotEqualTo(two);
        assertThat(one.getParent()).isEqualTo(dir.resolve("a/b/packages/tmp"));
        assertThat(one.getFileName().toString()).startsWith("intake");
    }

    @Test
    void relativeRootIsMadeAbsolute() {
        PackageStore relative = new PackageStore(Path.of("").toAbsolutePath().relativize(dir.resolve("rel")));

        assertThat(relative.path(ID)).isAbsolute();
        assertThat(relative.path(ID).normalize()).isEqualTo(dir.resolve("rel").resolve(ID + ".zip"));
    }
}
