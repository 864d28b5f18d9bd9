package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.e2e.support.Command;
import io.cdnodes.e2e.support.Paths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code ./cdnodes up} on a machine that lacks what it needs says, at once and all together, what is missing and
 * which package brings it, and exits 2, rather than building or waiting for a coordinator that cannot start. The
 * machine is played by a PATH holding only the shell tools the launcher uses, and fakes of java and python3 where
 * a test needs them.
 */
class LauncherPreflightIT {

    /** What the launcher itself runs besides the commands it checks for. */
    private static final List<String> SHELL_TOOLS = List.of("bash", "sed", "od", "tr", "cat", "mkdir", "dirname",
            "env", "chmod", "mv", "tail", "seq");

    @Test
    void aMachineWithoutJavaCurlOrPythonIsToldWhatToInstall() throws Exception {
        Path bin = pathWith();

        Command.Result r = up(bin);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.output()).contains("missing on this machine:")
                .contains("java 17 or newer (apt-get install openjdk-17-jdk-headless)")
                .contains("curl, to see when the coordinator is ready (apt-get install curl)")
                .contains("python3 with pytest (apt-get install python3 python3-venv)")
                .doesNotContain("building");
    }

    @Test
    void anOldJavaAndAPythonWithoutPytestOrVenvAreNamed() throws Exception {
        Path bin = pathWith();
        script(bin.resolve("java"), "echo '    java.specification.version = 11' >&2");
        script(bin.resolve("python3"), "exit 1"); // neither pytest nor ensurepip/venv import
        Files.createSymbolicLink(bin.resolve("curl"), Path.of("/usr/bin/curl"));

        Command.Result r = up(bin);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.output()).contains("java 17 or newer; java here is 11")
                .contains("python3's venv module").contains("apt-get install python3-venv")
                .doesNotContain("curl,");
    }

    private static Command.Result up(Path bin) {
        Path root = Path.of(System.getProperty("cdnodes.root", "..")).toAbsolutePath().normalize();
        Path data = Paths.work("preflight-data-");
        return Command.run(List.of(bin.resolve("bash").toString(), root.resolve("cdnodes").toString(), "up"), data,
                Duration.ofSeconds(60), env -> {
                    env.remove("JAVA_HOME");
                    env.put("PATH", bin.toString());
                    env.put("CDNODES_DATA_DIR", data.resolve("data").toString());
                });
    }

    /** A folder of links to the shell tools the launcher needs, and nothing else. */
    private static Path pathWith() throws IOException {
        Path bin = Paths.work("preflight-bin-");
        for (String tool : SHELL_TOOLS) {
            Path real = List.of(Path.of("/usr/bin", tool), Path.of("/bin", tool)).stream().filter(Files::isExecutable)
                    .findFirst().orElseThrow(() -> new IllegalStateException(tool + " not found"));
            Files.createSymbolicLink(bin.resolve(tool), real);
        }
        return bin;
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
