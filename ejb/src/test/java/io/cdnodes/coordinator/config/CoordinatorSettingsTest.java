package io.cdnodes.coordinator.config;

import io.cdnodes.coordinator.fetchpolicy.AllowedHosts;
import io.cdnodes.coordinator.fetchpolicy.FileRoots;
import io.cdnodes.protocol.pkg.UnzipLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoordinatorSettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaults() {
        CoordinatorSettings s = CoordinatorSettings.from(k -> null);

        assertThat(s.dataDir()).isEqualTo(Path.of("data").toAbsolutePath().normalize());
        assertThat(s.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.taskTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.maxUploadBytes()).isEqualTo(512L * 1024 * 1024);
        assertThat(s.unzipLimits()).isEqualTo(UnzipLimits.defaults());
        assertThat(s.packageRetries()).isEqualTo(3);
        assertThat(s.packagesDir()).isEqualTo(s.dataDir().resolve("packages"));
        assertThat(s.resultsDir()).isEqualTo(s.dataDir().resolve("test_results"));
        assertThat(s.githubApi()).isEqualTo(java.net.URI.create("https://api.github.com"));
        assertThat(s.fetchTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.fetchAllowHosts()).isEqualTo(AllowedHosts.NONE);
        assertThat(s.fetchFileRoots()).isEqualTo(FileRoots.NONE);
    }

    @Test
    void fetchAllowHostsAndFileRootsAreParsedAndCheckedAtStart() {
        CoordinatorSettings s = CoordinatorSettings.from(Map.of("CDNODES_FETCH_ALLOW_HOSTS", "git.corp, 127.0.0.1:8089",
                "CDNODES_FETCH_FILE_ROOTS", dir + java.io.File.pathSeparator + "/srv/repos")::get);
        assertThat(s.fetchAllowHosts().allows("git.corp", 22)).isTrue();
        assertThat(s.fetchAllowHosts().allows("127.0.0.1", 8089)).isTrue();
        assertThat(s.fetchFileRoots().roots()).containsExactly(dir, Path.of("/srv/repos"));
        assertThatThrownBy(() -> CoordinatorSettings.from(Map.of("CDNODES_FETCH_ALLOW_HOSTS", "*.corp")::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("CDNODES_FETCH_ALLOW_HOSTS");
        assertThatThrownBy(() -> CoordinatorSettings.from(Map.of("CDNODES_FETCH_FILE_ROOTS", "repos")::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("CDNODES_FETCH_FILE_ROOTS");
    }

    @Test
    void gitHubApiRootIsAnHttpUrlWithoutATrailingSlash() {
        assertThat(CoordinatorSettings.from(Map.of("CDNODES_GITHUB_API", " https://ghe.example.com/api/v3/ ")::get)
                .githubApi()).isEqualTo(java.net.URI.create("https://ghe.example.com/api/v3"));
        assertThat(CoordinatorSettings.from(Map.of("CDNODES_GITHUB_API", "http://127.0.0.1:8089")::get).githubApi())
                .isEqualTo(java.net.URI.create("http://127.0.0.1:8089"));
        for (String bad : new String[] {"api.github.com", "ftp://api.github.com", "https://user:pw@api.github.com",
                "https://api.github.com?x=1", "https://api github.com"}) {
            assertThatThrownBy(() -> CoordinatorSettings.from(Map.of("CDNODES_GITHUB_API", bad)::get))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CDNODES_GITHUB_API");
        }
    }

    @Test
    void fetchTimeoutIsBounded() {
        assertThat(CoordinatorSettings.from(Map.of("CDNODES_FETCH_TIMEOUT_S", "30")::get).fetchTimeout())
                .isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> CoordinatorSettings.from(Map.of("CDNODES_FETCH_TIMEOUT_S", "0")::get))
                .hasMessage("CDNODES_FETCH_TIMEOUT_S must be positive: 0");
        assertThatThrownBy(() -> CoordinatorSettings.from(Map.of("CDNODES_FETCH_TIMEOUT_S", "86401")::get))
                .hasMessage("CDNODES_FETCH_TIMEOUT_S must be at most 86400: 86401");
    }

    @Test
    void blankValuesMeanTheDefault() {
        CoordinatorSettings s = CoordinatorSettings.from(k -> "  ");

        assertThat(s).isEqualTo(CoordinatorSettings.from(k -> null));
    }

    @Test
    void valuesAreReadTrimmedAndTheDataDirNormalised() {
        Map<String, String> env = Map.of(
                "CDNODES_DATA_DIR", " " + dir.resolve("x/../store") + " ",
                "CDNODES_HEARTBEAT_TIMEOUT_MS", "1500",
                "CDNODES_TASK_TIMEOUT_S", " 60",
                "CDNODES_MAX_UPLOAD_MB", "2",
                "CDNODES_PACKAGE_RETRIES", "7");

        CoordinatorSettings s = CoordinatorSettings.from(env::get);

        assertThat(s.dataDir()).isEqualTo(dir.resolve("store"));
        assertThat(s.packagesDir()).isEqualTo(dir.resolve("store/packages"));
        assertThat(s.heartbeatTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(s.taskTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.maxUploadBytes()).isEqualTo(2L * 1024 * 1024);
        assertThat(s.packageRetries()).isEqualTo(7);
    }

    @Test
    void relativeDataDirIsResolvedAgainstTheWorkingDirectory() {
        CoordinatorSettings s = CoordinatorSettings.from(Map.of("CDNODES_DATA_DIR", "./var//cd")::get);

        assertThat(s.dataDir()).isEqualTo(Path.of("").toAbsolutePath().resolve("var/cd"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"CDNODES_HEARTBEAT_TIMEOUT_MS", "CDNODES_TASK_TIMEOUT_S", "CDNODES_MAX_UPLOAD_MB",
            "CDNODES_PACKAGE_RETRIES"})
    void numbersMustBePositiveWholeNumbers(String key) {
        for (String bad : new String[] {"0", "-1"}) {
            assertThatThrownBy(() -> CoordinatorSettings.from(Map.of(key, bad)::get))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(key + " must be positive: " + bad);
        }
        for (String bad : new String[] {"1.5", "ten", "5s", "99999999999999999999"}) {
            assertThatThrownBy(() -> CoordinatorSettings.from(Map.of(key, bad)::get))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(key + " must be a whole number: " + bad);
        }
    }

    @Test
    void uploadLimitThatOverflowsInBytesIsRefused() {
        // 2^43 MiB is 2^63 bytes: it used to wrap around to a negative limit
        String mb = Long.toString(1L << 43);

        assertThatThrownBy(() -> CoordinatorSettings.from(Map.of("CDNODES_MAX_UPLOAD_MB", mb)::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CDNODES_MAX_UPLOAD_MB must be at most " + (Long.MAX_VALUE >> 20) + ": " + mb);
        assertThat(CoordinatorSettings.from(Map.of("CDNODES_MAX_UPLOAD_MB", Long.toString(Long.MAX_VALUE >> 20))::get)
                .maxUploadBytes()).isPositive();
    }

    @Test
    void taskTimeoutMustFitTheProtocolsUnsigned32Bits() {
        // Assign refuses a larger timeoutSeconds: every assignment would have failed at dispatch time
        assertThat(CoordinatorSettings.from(Map.of("CDNODES_TASK_TIMEOUT_S", "4294967295")::get).taskTimeout())
                .isEqualTo(Duration.ofSeconds(4_294_967_295L));
        assertThatThrownBy(() -> CoordinatorSettings.from(Map.of("CDNODES_TASK_TIMEOUT_S", "4294967296")::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CDNODES_TASK_TIMEOUT_S must be at most 4294967295: 4294967296");
    }

    @Test
    void retriesThatDoNotFitAnIntAreRefused() {
        String big = Long.toString(1L << 32);

        assertThatThrownBy(() -> CoordinatorSettings.from(Map.of("CDNODES_PACKAGE_RETRIES", big)::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CDNODES_PACKAGE_RETRIES must be at most " + Integer.MAX_VALUE + ": " + big);
    }

    @Test
    void theNetworkIsNotAllowedUnlessSaidSo() {
        assertThat(CoordinatorSettings.from(k -> null).allowNetwork()).isFalse();
        assertThat(CoordinatorSettings.from(k -> k.equals("CDNODES_ALLOW_NETWORK") ? "true" : null).allowNetwork())
                .isTrue();
        assertThatThrownBy(() -> CoordinatorSettings.from(k -> k.equals("CDNODES_ALLOW_NETWORK") ? "1" : null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CDNODES_ALLOW_NETWORK");
    }
}
