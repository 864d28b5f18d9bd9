package io.cdnodes.agent.deps;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipConfigurationTest {

    @TempDir
    Path tmp;

    @Test
    void localFoldersNamedByVariablesAndFilesAreFoundAndAnIndexComesWithItsFiles() throws Exception {
        Path wheels = Files.createDirectories(tmp.resolve("wheels"));
        Path index = Files.createDirectories(tmp.resolve("pypi/simple"));
        Path constraints = Files.writeString(tmp.resolve("constraints.txt"), "");
        Path conf = Files.writeString(tmp.resolve("pip.conf"), "[global]\n# find-links = " + tmp.resolve("commented")
                + "\nextra-index-url = file://" + index + "\n    file://" + tmp.resolve("absent/simple")
                + "\nconstraint=" + constraints + "\ntimeout = 60\n");

        List<Path> paths = PipConfiguration.localPaths(Map.of("PIP_FIND_LINKS", wheels.toString(),
                "PIP_DEFAULT_TIMEOUT", "180", "OTHER", tmp.toString()), List.of(conf, tmp.resolve("none.conf")));

        assertThat(paths).containsExactly(wheels, tmp.resolve("pypi"), constraints);
    }

    @Test
    void theUsersOwnFileIsTheOneUnderItsHomeUnlessPipConfigFileNamesOne() throws Exception {
        Path home = tmp.resolve("home");
        Path own = Files.createDirectories(home.resolve(".config/pip")).resolve("pip.conf");
        Files.writeString(own, "[global]\n");
        Path named = Files.writeString(tmp.resolve("named.conf"), "[global]\n");

        assertThat(PipConfiguration.of(Map.of("HOME", home.toString())).userFile()).contains(own);
        assertThat(PipConfiguration.of(Map.of("HOME", home.toString(), "PIP_CONFIG_FILE", named.toString()))
                .userFile()).contains(named);
        assertThat(PipConfiguration.of(Map.of("HOME", tmp.resolve("nohome").toString())).userFile()).isEmpty();
    }
}
