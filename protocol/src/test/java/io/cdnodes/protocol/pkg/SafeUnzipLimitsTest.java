package io.cdnodes.protocol.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cdnodes.protocol.pkg.UnsafeArchiveException.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entry count, sizes (declared and actually inflated), compression ratio, and archives that are not zips. */
class SafeUnzipLimitsTest {

    @TempDir
    Path dir;

    private Path target;

    @BeforeEach
    void target() throws Exception {
        target = Files.createDirectory(dir.resolve("out"));
    }

    @Test
    void tooManyEntriesNamesNoEntry() throws Exception {
        Path zip = Zips.write(dir.resolve("z.zip"), "p/", "", "p/a", "1", "p/b", "2", "p/c", "3");

        UnsafeArchiveException e = refusal(new UnzipLimits(3, 1000, 1000, 200), zip);

        assertThat(e.rule()).isEqualTo(Rule.TOO_MANY_ENTRIES);
        assertThat(e.entry()).isNull();
        assertThat(e).hasMessage("the archive has 4 entries, more than the limit of 3");
    }

    @Test
    void exactlyTheEntryLimitIsAccepted() throws Exception {
        Path zip = Zips.write(dir.resolve("z.zip"), "p/", "", "p/a", "1", "p/b", "2");

        assertThat(new SafeUnzip(new UnzipLimits(3, 1000, 1000, 200)).list(zip)).hasSize(3);
    }

    @Test
    void declaredEntrySizeOverTheLimitIsRefusedWhenListing() throws Exception {
        Path zip = Zips.write(dir.resolve("z.zip"), Map.of("big.txt", text(1001)));

        UnsafeArchiveException e = refusal(new UnzipLimits(10, 1000, 10_000, 200), zip);

        assertThat(e.rule()).isEqualTo(Rule.ENTRY_TOO_LARGE);
        assertThat(e.entry()).isEqualTo("big.txt");
        assertThat(e).hasMessage("entry big.txt is larger than 1000 bytes");
    }

    @Test
    void entryOfExactlyTheLimitIsExtracted() throws Exception {
        Path zip = Zips.write(dir.resolve("z.zip"), Map.of("max.txt", text(1000)));

        int files = new SafeUnzip(new UnzipLimits(10, 1000, 1000, 200)).extract(zip, "", target, r -> false);

        assertThat(files).isEqualTo(1);
        assertThat(Files.readAllBytes(target.resolve("max.txt"))).isEqualTo(text(1000));
    }

    @Test
    void entryLyingAboutItsSizeIsCaughtWhileInflating() throws Exception {
        Path zip = Zips.write(dir.resolve("z.zip"), Map.of("liar.txt", text(5000)));
        Zips.declareSize(zip, "liar.txt", 10);
        SafeUnzip unzip = new SafeUnzip(new UnzipLimits(10, 1000, 100_000, 200));

        assertThat(unzip.list(zip)).containsExactly("liar.txt");
        UnsafeArchiveException e = catchThrowableOfType(UnsafeArchiveException.class,
                () -> unzip.extract(zip, "", target, r -> false));

        assertThat(e.rule()).isEqualTo(Rule.ENTRY_TOO_LARGE);
        assertThat(e.entry()).isEqualTo("liar.txt");
    }

    @Test
    void declaredTotalOverTheLimitNamesTheEntryThatCrossedIt() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("a", text(400));
        entries.put("b", text(400));
        entries.put("c", text(400));
        Path zip = Zips.write(dir.resolve("z.zip"), entries);

        UnsafeArchiveException e = refusal(new UnzipLimits(10, 1000, 1000, 200), zip);

        assertThat(e.rule()).isEqualTo(Rule.TOTAL_TOO_LARGE);
        assertThat(e.entry()).isEqualTo("c");
        assertThat(e).hasMessage("the archive expands to more than 1000 bytes (at entry c)");
    }

    @Test
    void totalLyingInTheDirectoryIsCaughtWhileInflating() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("a", text(600));
        entries.put("b", text(600));
        Path zip = Zips.write(dir.resolve("z.zip"), entries);
        Zips.declareSize(zip, "a", 1);
        Zips.declareSize(zip, "b", 1);
        SafeUnzip unzip = new SafeUnzip(new UnzipLimits(10, 1000, 1000, 200));

        assertThat(unzip.list(zip)).containsExactly("a", "b");
        UnsafeArchiveException e = catchThrowableOfType(UnsafeArchiveException.class,
                () -> unzip.extract(zip, "", target, r -> false));

        assertThat(e.rule()).isEqualTo(Rule.TOTAL_TOO_LARGE);
        assertThat(e.entry()).isEqualTo("b");
        assertThat(target.resolve("a")).hasSize(600);
    }

    @Test
    void compressionBombOverTheRatioIsRefused() throws Exception {
        // 2 MiB of zeros deflate to about 2 KiB: a ratio near 1000, where 200 is the limit
        Path zip = Zips.write(dir.resolve("bomb.zip"), Map.of("zeros.bin", new byte[2 * 1024 * 1024]));
        SafeUnzip unzip = new SafeUnzip(UnzipLimits.defaults());

        assertThat(unzip.list(zip)).containsExactly("zeros.bin");
        UnsafeArchiveException e = catchThrowableOfType(UnsafeArchiveException.class,
                () -> unzip.extract(zip, "", target, r -> false));

        assertThat(e.rule()).isEqualTo(Rule.RATIO);
        assertThat(e.entry()).isEqualTo("zeros.bin");
        assertThat(e).hasMessage("entry zeros.bin expands more than 200 times its compressed size");
        assertThat(Files.size(target.resolve("zeros.bin"))).isLessThanOrEqualTo(UnzipLimits.RATIO_FLOOR_BYTES);
    }

    @Test
    void highlyCompressibleEntryUpToTheFloorIsAccepted() throws Exception {
        int floor = (int) UnzipLimits.RATIO_FLOOR_BYTES;
        Path zip = Zips.write(dir.resolve("spaces.zip"), Map.of("spaces.txt", new byte[floor]));

        int files = new SafeUnzip(UnzipLimits.defaults()).extract(zip, "", target, r -> false);

        assertThat(files).isEqualTo(1);
        assertThat(Files.size(target.resolve("spaces.txt"))).isEqualTo(floor);
    }

    @Test
    void higherRatioLimitLetsTheSameEntryThrough() throws Exception {
        Path zip = Zips.write(dir.resolve("bomb.zip"), Map.of("zeros.bin", new byte[2 * 1024 * 1024]));

        new SafeUnzip(new UnzipLimits(10, 1L << 30, 1L << 30, 10_000)).extract(zip, "", target, r -> false);

        assertThat(Files.size(target.resolve("zeros.bin"))).isEqualTo(2 * 1024 * 1024);
    }

    @Test
    void textIsNotAZip() throws Exception {
        Path file = Files.writeString(dir.resolve("x.zip"), "this is not a zip archive at all");

        UnsafeArchiveException e = refusal(UnzipLimits.defaults(), file);

        assertThat(e.rule()).isEqualTo(Rule.NOT_A_ZIP);
        assertThat(e.entry()).isNull();
        assertThat(e.getMessage()).startsWith("not a zip archive: ");
    }

    @Test
    void emptyFileIsNotAZip() throws Exception {
        Path file = Files.createFile(dir.resolve("empty.zip"));

        assertThat(refusal(UnzipLimits.defaults(), file).rule()).isEqualTo(Rule.NOT_A_ZIP);
        assertThat(catchThrowableOfType(UnsafeArchiveException.class,
                () -> new SafeUnzip(UnzipLimits.defaults()).extract(file, "", target, r -> false)).rule())
                .isEqualTo(Rule.NOT_A_ZIP);
    }

    @Test
    void zipWithoutEntriesListsNothingAndExtractsNothing() throws Exception {
        Path zip = Zips.write(dir.resolve("none.zip"), Map.of());
        SafeUnzip unzip = new SafeUnzip(UnzipLimits.defaults());

        assertThat(Files.size(zip)).isEqualTo(22);
        assertThat(unzip.list(zip)).isEmpty();
        assertThat(unzip.extract(zip, "", target, r -> false)).isZero();
    }

    @Test
    void damagedCompressedDataIsNotAZip() throws Exception {
        Path zip = Zips.write(dir.resolve("bad.zip"), Map.of("a.txt", text(4000)));
        byte[] data = Files.readAllBytes(zip);
        int dataStart = 30 + "a.txt".length(); // ZipOutputStream writes no extra field in the local header here
        Arrays.fill(data, dataStart, dataStart + 16, (byte) 0xFF); // block type 3 does not exist
        Files.write(zip, data);

        UnsafeArchiveException e = catchThrowableOfType(UnsafeArchiveException.class,
                () -> new SafeUnzip(UnzipLimits.defaults()).extract(zip, "", target, r -> false));

        assertThat(e.rule()).isEqualTo(Rule.NOT_A_ZIP);
        assertThat(e.entry()).isEqualTo("a.txt");
        assertThat(e.getMessage()).startsWith("entry a.txt is damaged: ");
    }

    @Test
    void truncatedCompressedDataIsNotAZip() throws Exception {
        // The directory claims fewer compressed bytes than the stream needs: the JDK's inflater then ends with
        // EOFException, which is not a ZipException and used to escape as a plain I/O error.
        Path zip = Zips.write(dir.resolve("short.zip"), Map.of("a.txt", random(4000)));
        Zips.declareCompressedSize(zip, "a.txt", 100);

        UnsafeArchiveException e = catchThrowableOfType(UnsafeArchiveException.class,
                () -> new SafeUnzip(UnzipLimits.defaults()).extract(zip, "", target, r -> false));

        assertThat(e.rule()).isEqualTo(Rule.NOT_A_ZIP);
        assertThat(e.entry()).isEqualTo("a.txt");
    }

    private static UnsafeArchiveException refusal(UnzipLimits limits, Path zip) {
        return catchThrowableOfType(UnsafeArchiveException.class, () -> new SafeUnzip(limits).list(zip));
    }

    private static byte[] text(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new java.util.Random(42).nextBytes(b);
        return b;
    }
}
