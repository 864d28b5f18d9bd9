package io.cdnodes.protocol.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cdnodes.protocol.pkg.UnsafeArchiveException.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Extraction with a prefix and a skip predicate, and the normal form of names. */
class SafeUnzipExtractTest {

    @TempDir
    Path dir;

    private Path target;
    private final SafeUnzip unzip = new SafeUnzip(UnzipLimits.defaults());

    @BeforeEach
    void target() throws Exception {
        target = Files.createDirectory(dir.resolve("out"));
    }

    @Test
    void extractsEverythingWithAnEmptyPrefix() throws Exception {
        Path zip = Zips.write(dir.resolve("a.zip"), "test_a.py", "A", "pkg/", "", "pkg/m.py", "M", "pkg/sub/n.py", "N");

        int files = unzip.extract(zip, "", target, rel -> false);

        assertThat(files).isEqualTo(3);
        assertThat(tree(target)).containsExactly("pkg/", "pkg/m.py", "pkg/sub/", "pkg/sub/n.py", "test_a.py");
        assertThat(target.resolve("pkg/sub/n.py")).hasContent("N");
    }

    @Test
    void extractsOnlyThePrefixAndStripsIt() throws Exception {
        Path zip = Zips.write(dir.resolve("a.zip"), "p/", "", "p/test_a.py", "PA", "p/lib/x.py", "PX",
                "q/test_q.py", "Q", "pq/test_pq.py", "PQ", "p.txt", "root");

        int files = unzip.extract(zip, "p/", target, rel -> false);

        assertThat(files).isEqualTo(2);
        assertThat(tree(target)).containsExactly("lib/", "lib/x.py", "test_a.py");
        assertThat(target.resolve("test_a.py")).hasContent("PA");
    }

    @Test
    void prefixMatchesNormalisedNames() throws Exception {
        Path zip = Zips.write(dir.resolve("a.zip"), "./p//test_a.py", "PA");

        assertThat(unzip.extract(zip, "p/", target, rel -> false)).isEqualTo(1);
        assertThat(target.resolve("test_a.py")).hasContent("PA");
    }

    @Test
    void skipPredicateSeesNamesAfterThePrefix() throws Exception {
        Path zip = Zips.write(dir.resolve("a.zip"), "p/test_a.py", "A", "p/__pycache__/", "",
                "p/__pycache__/test_a.pyc", "C", "p/notes.log", "L", "p/keep.txt", "K");
        List<String> seen = new ArrayList<>();

        int files = unzip.extract(zip, "p/", target, rel -> {
            seen.add(rel);
            return rel.startsWith("__pycache__/") || rel.endsWith(".log");
        });

        assertThat(files).isEqualTo(2);
        assertThat(tree(target)).containsExactly("keep.txt", "test_a.py");
        assertThat(seen).containsExactly("test_a.py", "__pycache__/", "__pycache__/test_a.pyc", "notes.log", "keep.txt");
    }

    @Test
    void emptyFoldersAreCreated() throws Exception {
        Path zip = Zips.write(dir.resolve("a.zip"), "p/empty/", "", "p/a.py", "A");

        assertThat(unzip.extract(zip, "p/", target, rel -> false)).isEqualTo(1);
        assertThat(target.resolve("empty")).isEmptyDirectory();
    }

    @Test
    void anExistingFileIsNeverOverwritten() throws Exception {
        Files.writeString(target.resolve("a.py"), "mine");
        Path zip = Zips.write(dir.resolve("a.zip"), "a.py", "theirs");

        UnsafeArchiveException e = catchThrowableOfType(UnsafeArchiveException.class,
                () -> unzip.extract(zip, "", target, rel -> false));

        assertThat(e.rule()).isEqualTo(Rule.DUPLICATE);
        assertThat(target.resolve("a.py")).hasContent("mine");
    }

    @Test
    void relativeTargetWorks() throws Exception {
        Path zip = Zips.write(dir.resolve("a.zip"), "a/b.py", "B");
        Path relative = Path.of("").toAbsolutePath().relativize(target);

        assertThat(unzip.extract(zip, "", relative, rel -> false)).isEqualTo(1);
        assertThat(target.resolve("a/b.py")).hasContent("B");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "./a//b/    | a/b/",
            "a/./b      | a/b",
            "a          | a",
            "a/         | a/",
            "a//        | a/",
            "./         | ''",
            ".          | ''",
            ".//.       | ''",
            "./a/./     | a/",
            "a/b/c.py   | a/b/c.py",
            "a/.hidden  | a/.hidden",
            "a/.../b    | a/.../b",
    })
    void normalise(String raw, String expected) {
        assertThat(SafeUnzip.normalise(raw)).isEqualTo(expected);
    }

    private static List<String> tree(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root))
                    .map(p -> root.relativize(p).toString().replace('\\', '/') + (Files.isDirectory(p) ? "/" : ""))
                    .sorted().toList();
        }
    }
}
