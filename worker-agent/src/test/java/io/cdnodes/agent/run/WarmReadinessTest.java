package io.cdnodes.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.agent.sandbox.SandboxSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule for when an interpreter started ahead may serve a start, on plain folders and a readiness written by
 * hand; {@link WarmStartsTest} shows with real interpreters that what it lets through starts as a cold one would.
 */
class WarmReadinessTest {

    private static final SandboxSpec.Shape SHAPE = new SandboxSpec.Shape(List.of(), false);

    @TempDir
    Path tmp;

    private Path project;
    private Path sitePackages;

    @BeforeEach
    void folders() throws IOException {
        project = Files.createDirectories(tmp.resolve("runs/s1/project"));
        sitePackages = Files.createDirectories(tmp.resolve("lib/site-packages"));
        Files.setLastModifiedTime(sitePackages, FileTime.from(1_000, TimeUnit.SECONDS));
    }

    private ProcessBuilder pytest(String... args) {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of("python3", "-m", "pytest"))).directory(project.toFile())
                .redirectErrorStream(true);
        pb.command().addAll(List.of(args));
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin");
        pb.environment().put("CDNODES_MODE", "serve");
        return pb;
    }

    private WarmReadiness readiness(Map<String, Long> extraPaths) {
        Map<String, Long> times = new LinkedHashMap<>(Map.of(sitePackages.toString(), 1_000_000_000_000L));
        times.putAll(extraPaths);
        return new WarmReadiness(Set.of("json", "pytest", "_pytest"), times);
    }

    @Test
    void aProjectThatShadowsNothingStartsWarm() throws IOException {
        Files.writeString(project.resolve("test_a.py"), "def test_a(): pass\n");

        assertThat(readiness(Map.of()).sameAsCold(pytest("-q"))).isTrue();
    }

    @Test
    void aModuleOrFolderNamedLikeOneAlreadyImportedStartsCold() throws IOException {
        Files.writeString(project.resolve("json.py"), "");
        assertThat(readiness(Map.of()).sameAsCold(pytest())).isFalse();

        Files.delete(project.resolve("json.py"));
        Files.createDirectories(project.resolve("pytest"));
        assertThat(readiness(Map.of()).sameAsCold(pytest())).isFalse();
    }

    @Test
    void aSiteCustomizationInTheProjectOrASysPathFolderInsideItStartsCold() throws IOException {
        Path src = Files.createDirectories(project.resolve("src"));
        Files.writeString(src.resolve("usercustomize.py"), "");
        assertThat(readiness(Map.of()).sameAsCold(pytest())).as("src is not on sys.path").isTrue();
        assertThat(readiness(Map.of(src.toString(), -1L)).sameAsCold(pytest())).isFalse();

        Files.delete(src.resolve("usercustomize.py"));
        Files.writeString(project.resolve("sitecustomize.py"), "");
        assertThat(readiness(Map.of()).sameAsCold(pytest())).isFalse();
    }

    @Test
    void aSysPathFolderOutsideTheProjectChangedCreatedOrRemovedSinceStartsCold() throws IOException {
        assertThat(readiness(Map.of()).sameAsCold(pytest())).isTrue();

        Files.setLastModifiedTime(sitePackages, FileTime.from(2_000, TimeUnit.SECONDS));
        assertThat(readiness(Map.of()).sameAsCold(pytest())).as("changed").isFalse();

        Files.setLastModifiedTime(sitePackages, FileTime.from(1_000, TimeUnit.SECONDS));
        Path later = tmp.resolve("lib/later");
        assertThat(readiness(Map.of(later.toString(), -1L)).sameAsCold(pytest())).isTrue();
        Files.createDirectories(later);
        assertThat(readiness(Map.of(later.toString(), -1L)).sameAsCold(pytest())).as("created").isFalse();

        Files.delete(sitePackages);
        assertThat(readiness(Map.of()).sameAsCold(pytest())).as("removed").isFalse();
    }

    @Test
    void argumentsOrPluginVariablesThatAreNotPlainAsciiStartCold() throws IOException {
        assertThat(readiness(Map.of()).sameAsCold(pytest("-k", "caf\u00e9"))).isFalse();

        ProcessBuilder pb = pytest();
        pb.environment().put("CDNODES_REPORT", "r\u00e9port.jsonl");
        assertThat(readiness(Map.of()).sameAsCold(pb)).isFalse();
        pb.environment().remove("CDNODES_REPORT");
        pb.environment().put("LANG_NOTE", "caf\u00e9");
        assertThat(readiness(Map.of()).sameAsCold(pb)).as("other variables are the key's, not the line's").isTrue();
    }

    @Test
    void theKeyIsTheInterpreterItsEnvironmentWithoutPluginVariablesAndTheSandboxShape() {
        ProcessBuilder serve = pytest("-q");
        ProcessBuilder collect = pytest("--co");
        collect.environment().put("CDNODES_SERVE_COLLECT", "1");
        assertThat(WarmKey.of(serve, SHAPE)).isEqualTo(WarmKey.of(collect, SHAPE))
                .isEqualTo(new WarmKey("python3", Map.of("PATH", "/usr/bin"), SHAPE));

        ProcessBuilder other = pytest();
        other.environment().put("GREETING", "two");
        assertThat(WarmKey.of(other, SHAPE)).isNotEqualTo(WarmKey.of(serve, SHAPE));
        assertThat(WarmKey.of(serve, new SandboxSpec.Shape(List.of(), true))).isNotEqualTo(WarmKey.of(serve, SHAPE));
        assertThat(WarmKey.of(new ProcessBuilder("python3", "script.py").redirectErrorStream(true), SHAPE))
                .as("not a pytest: always cold").isNull();
    }
}
