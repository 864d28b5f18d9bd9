package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table against the code: every {@code CDNODES_*} setting that the coordinator, its
 * adapter, the worker, the launcher or the submit command reads has a row, and every row is read somewhere (the
 * compose file counts for its own publishing settings). The variables the worker sets for its own pytest plugin are
 * not settings and are named here.
 */
class SettingsTableTest {

    private static final Path ROOT = Path.of(System.getProperty("cdnodes.root", "..")).toAbsolutePath().normalize();
    private static final Pattern NAME = Pattern.compile("CDNODES_[A-Z0-9_]*[A-Z0-9]");
    private static final Pattern ROW = Pattern.compile("^\\| `(CDNODES_[A-Z0-9_]+)`", Pattern.MULTILINE);
    /** What the agent hands its pytest plugin, and the adapter its keytool child: not settings of anyone's. */
    private static final Set<String> INTERNAL = Set.of("CDNODES_MODE", "CDNODES_REPORT", "CDNODES_SELECT",
            "CDNODES_SERVE_COLLECT", "CDNODES_SERVE_DIR", "CDNODES_SERVE_IDLE", "CDNODES_STOP", "CDNODES_MAX_MESSAGE",
            "CDNODES_REPORT_CHARS",
            "CDNODES_KEYTOOL_SECRET");

    @Test
    void everySettingTheCodeReadsHasARowAndEveryRowIsRead() throws IOException {
        Set<String> read = new TreeSet<>();
        for (String module : List.of("connector", "ejb", "web", "worker-agent")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    read.addAll(literals(Files.readString(f)));
                }
            }
        }
        read.addAll(names(Files.readString(ROOT.resolve("cdnodes"))));
        read.addAll(names(Files.readString(ROOT.resolve("scripts/client.py"))));
        read.removeAll(INTERNAL);
        Set<String> composeToo = new TreeSet<>(read);
        composeToo.addAll(names(Files.readString(ROOT.resolve("docker-compose.yml"))));

        String readme = Files.readString(ROOT.resolve("README.md"));
        String table = readme.substring(readme.indexOf("## Configuration"), readme.indexOf("## Tests"));
        Set<String> rows = new TreeSet<>();
        Matcher m = ROW.matcher(table);
        while (m.find()) {
            rows.add(m.group(1));
        }

        assertThat(read).as("settings read by the code").hasSizeGreaterThan(40);
        assertThat(rows).as("rows of README.md's configuration table").containsAll(read);
        assertThat(composeToo).as("rows that nothing reads").containsAll(rows);
    }

    /** Names in string literals and in picocli's {@code ${env:...}} defaults: what Java code reads. */
    private static Set<String> literals(String java) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("\"[^\"\\n]*\"").matcher(java);
        while (m.find()) {
            out.addAll(names(m.group()));
        }
        return out;
    }

    private static Set<String> names(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = NAME.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
