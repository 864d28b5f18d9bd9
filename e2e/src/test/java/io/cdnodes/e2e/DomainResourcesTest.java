package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The domain resources say the same on Payara Micro (post-boot commands) and Payara Server (the script an operator
 * runs with {@code asadmin multimode --file}), but for the name the adapter has in each. (The connector's
 * {@code ThreadPoolSizeTest} checks the size of the pool they make.)
 */
class DomainResourcesTest {

    private static final Path ROOT = Path.of(System.getProperty("cdnodes.root", "..")).toAbsolutePath().normalize();
    private static final Path MICRO = ROOT.resolve("web/src/main/payara/post-boot-commands.asadmin");
    private static final Path SERVER = ROOT.resolve("ear/src/main/payara/domain-resources.asadmin");

    @Test
    void microAndServerMakeTheSameResourcesForTheirOwnAdapterName() throws IOException {
        List<String> micro = commands(MICRO);
        List<String> server = commands(SERVER);

        assertThat(micro).anyMatch(c -> c.startsWith("create-resource-adapter-config ")
                && c.endsWith(" cdnodes-connector"));
        assertThat(server).anyMatch(c -> c.startsWith("create-resource-adapter-config ")
                && c.endsWith(" cdnodes#cdnodes-connector"));
        // multimode takes a backslash as an escape; boot command files pass it on as it is
        assertThat(server.stream().map(c -> c.replace("cdnodes#cdnodes-connector", "cdnodes-connector")
                .replace("\\\\", "\\")).toList()).isEqualTo(micro);
        assertThat(micro).anyMatch(c -> c.startsWith("create-jdbc-resource ") && c.endsWith(" jdbc/cdnodes"));
    }

    private static List<String> commands(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }
}
