package io.cdnodes.protocol.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.protocol.transfer.PackageDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TimeZone;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packages are regular files only, sorted, timeless: equal content gives equal bytes. */
class PackageBuilderTest {

    private static final List<String> FILES = List.of("tests/test_a.py", "pyproject.toml", "src/pkg/__init__.py",
            "src/pkg/core.py", "README.md", "tests/data/input.txt");

    @TempDir
    Path dir;

    @Test
    void sameContentBuiltTwiceGivesTheSameBytes() throws Exception {
        Path folder = project("p", FILES);

        Path one = dir.resolve("one.zip");
        Path two = dir.resolve("two.zip");
        int n1 = PackageBuilder.build(folder, one, rel -> false);
        int n2 = PackageBuilder.build(folder, two, rel -> false);

        assertThat(n1).isEqualTo(6);
        assertThat(n2).isEqualTo(6);
        assertThat(Files.readAllBytes(one)).isEqualTo(Files.readAllBytes(two));
    }

    @Test
    void creationOrderAndFileTimesDoNotMatter() throws Exception {
        Path a = project("a", FILES);
        List<String> reversed = new ArrayList<>(FILES);
        Collections.reverse(reversed);
        Path b = project("b", reversed);
        for (String f : FILES) {
            Files.setLastModifiedTime(a.resolve(f), FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
            Files.setLastModifiedTime(b.resolve(f), FileTime.from(Instant.parse("2024-12-31T23:59:58Z")));
        }

        Path za = dir.resolve("a.zip");
        Path zb = dir.resolve("b.zip");
        PackageBuilder.build(a, za, rel -> false);
        PackageBuilder.build(b, zb, rel -> false);

        assertThat(PackageDigest.of(za)).isEqualTo(PackageDigest.of(zb)).hasSize(64);
        assertThat(Files.readAllBytes(za)).isEqualTo(Files.readAllBytes(zb));
    }

    @Test
    void theMachinesTimeZoneDoesNotMatter() throws Exception {
        // ZipEntry converts times through the default zone: a package built in Tokyo had other bytes than one
        // built in UTC, so the same project got two package ids.
        Path folder = project("p", FILES);
        TimeZone saved = TimeZone.getDefault();
        List<String> digests = new ArrayList<>();
        try {
            for (String zone : List.of("UTC", "America/New_York", "Asia/Tokyo", "Pacific/Kiritimati")) {
                TimeZone.setDefault(TimeZone.getTimeZone(zone));
                Path zip = dir.resolve(zone.replace('/', '_') + ".zip");
                PackageBuilder.build(folder, zip, rel -> false);
                digests.add(PackageDigest.of(zip));
            }
        } finally {
            TimeZone.setDefault(saved);
        }

        assertThat(digests).containsOnly(digests.get(0));
    }

    @Test
    void differentContentGivesADifferentDigest() throws Exception {
        Path a = project("a", FILES);
        Path b = project("b", FILES);
        Files.writeString(b.resolve("src/pkg/core.py"), "changed\n");

        Path za = dir.resolve("a.zip");
        Path zb = dir.resolve("b.zip");
        PackageBuilder.build(a, za, rel -> false);
        PackageBuilder.build(b, zb, rel -> false);

        assertThat(PackageDigest.of(za)).isNotEqualTo(PackageDigest.of(zb));
    }

    @Test
    void entriesAreSortedRelativeFilesWithAFixedTime() throws Exception {
        Path folder = project("p", FILES);
        Files.createDirectories(folder.resolve("empty/inner"));

        Path zip = dir.resolve("p.zip");
        PackageBuilder.build(folder, zip, rel -> false);

        try (ZipFile zf = new ZipFile(zip.toFile())) {
            List<String> names = zf.stream().map(ZipEntry::getName).toList();
            assertThat(names).containsExactly("README.md", "pyproject.toml", "src/pkg/__init__.py", "src/pkg/core.py",
                    "tests/data/input.txt", "tests/test_a.py");
            assertThat(zf.stream().map(ZipEntry::getTimeLocal)).containsOnly(LocalDateTime.of(1980, 2, 1, 0, 0));
            assertThat(zf.stream().map(ZipEntry::getExtra)).containsOnlyNulls();
            assertThat(new String(zf.getInputStream(zf.getEntry("src/pkg/core.py")).readAllBytes()))
                    .isEqualTo("# src/pkg/core.py\n");
        }
    }

    @Test
    void linksAreLeftOut() throws Exception {
        Path folder = project("p", List.of("test_a.py", "real/data.txt"));
        Files.createSymbolicLink(folder.resolve("link.py"), folder.resolve("test_a.py"));
        Files.createSymbolicLink(folder.resolve("linked-dir"), folder.resolve("real"));
        Files.createSymbolicLink(folder.resolve("outside"), dir);
        Files.createSymbolicLink(folder.resolve("dangling"), dir.resolve("nowhere"));

        Path zip = dir.resolve("p.zip");
        int files = PackageBuilder.build(folder, zip, rel -> false);

        assertThat(files).isEqualTo(2);
        assertThat(names(zip)).containsExactly("real/data.txt", "test_a.py");
    }

    @Test
    void skippedFoldersAreNotEnteredAndSkippedFilesLeftOut() throws Exception {
        Path folder = project("p", List.of("test_a.py", "build/out.txt", "build/deep/x.txt", "src/m.py",
                "src/build.log", "src/cache/c.bin"));
        List<String> asked = new ArrayList<>();

        Path zip = dir.resolve("p.zip");
        int files = PackageBuilder.build(folder, zip, rel -> {
            asked.add(rel);
            return rel.equals("build/") || rel.endsWith(".log") || rel.equals("src/cache/");
        });

        assertThat(files).isEqualTo(2);
        assertThat(names(zip)).containsExactly("src/m.py", "test_a.py");
        assertThat(asked).contains("build/", "src/", "src/cache/", "src/build.log", "src/m.py", "test_a.py")
                .doesNotContain("", "/", "build/out.txt", "build/deep/", "src/cache/c.bin");
    }

    @Test
    void emptyFolderGivesAnEmptyDeterministicPackage() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b/nested/empty"));

        Path za = dir.resolve("a.zip");
        Path zb = dir.resolve("b.zip");

        assertThat(PackageBuilder.build(a, za, rel -> false)).isZero();
        assertThat(PackageBuilder.build(dir.resolve("b"), zb, rel -> false)).isZero();
        assertThat(Files.readAllBytes(za)).isEqualTo(Files.readAllBytes(zb)).hasSize(22);
        assertThat(b).isEmptyDirectory();
    }

    @Test
    void packageExtractsBackToTheSameFiles() throws Exception {
        Path folder = project("p", FILES);
        Path zip = dir.resolve("p.zip");
        PackageBuilder.build(folder, zip, rel -> false);
        Path out = Files.createDirectory(dir.resolve("out"));

        int files = new SafeUnzip(UnzipLimits.defaults()).extract(zip, "", out, rel -> false);

        assertThat(files).isEqualTo(FILES.size());
        for (String f : FILES) {
            assertThat(out.resolve(f)).hasSameBinaryContentAs(folder.resolve(f));
        }
    }

    @Test
    void relativeFolderPathWorks() throws Exception {
        Path folder = project("p", List.of("test_a.py"));
        Path relative = Path.of("").toAbsolutePath().relativize(folder);

        Path zip = dir.resolve("p.zip");
        PackageBuilder.build(relative, zip, rel -> false);

        assertThat(names(zip)).containsExactly("test_a.py");
    }

    private Path project(String name, List<String> files) throws Exception {
        Path root = Files.createDirectories(dir.resolve(name));
        for (String f : files) {
            Path p = root.resolve(f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "# " + f + "\n");
        }
        return root;
    }

    private static List<String> names(Path zip) throws Exception {
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            return zf.stream().map(ZipEntry::getName).toList();
        }
    }
}
