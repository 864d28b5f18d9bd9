package io.cdnodes.coordinator.config;

import io.cdnodes.coordinator.fetchpolicy.AllowedHosts;
import io.cdnodes.coordinator.fetchpolicy.FileRoots;
import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.pkg.UnzipLimits;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * Everything the coordinator's domain is configured with. See the README's configuration table.
 *
 * @param dataDir          {@code CDNODES_DATA_DIR}: database, package store, results ({@code ./data})
 * @param heartbeatTimeout {@code CDNODES_HEARTBEAT_TIMEOUT_MS}: a worker silent this long is gone (5 s)
 * @param taskTimeout      {@code CDNODES_TASK_TIMEOUT_S}: the longest one pytest process may run (1800 s)
 * @param maxUploadBytes   {@code CDNODES_MAX_UPLOAD_MB}: the largest upload accepted (512 MiB)
 * @param unzipLimits      limits on what an upload may expand to
 * @param packageRetries   how often a refused package transfer is tried again before the task fails (3)
 * @param githubApi        {@code CDNODES_GITHUB_API}: the GitHub REST API root repositories are downloaded through
 *                         ({@code https://api.github.com}; a GitHub Enterprise or test server's API root)
 * @param fetchTimeout     {@code CDNODES_FETCH_TIMEOUT_S}: the longest one repository may take to download or
 *                         clone (600 s)
 * @param fetchAllowHosts  {@code CDNODES_FETCH_ALLOW_HOSTS}: hosts repositories may be fetched from whatever they
 *                         resolve to (none: public addresses only)
 * @param fetchFileRoots   {@code CDNODES_FETCH_FILE_ROOTS}: folders {@code file://} repositories may lie in (none:
 *                         file:// refused)
 * @param allowNetwork     {@code CDNODES_ALLOW_NETWORK}: whether an evaluation may ask for the network in its test
 *                         runs (option {@code "network": true}); false refuses such submissions
 * @param reportLimits     how much of each test's report is kept ({@code CDNODES_MAX_REPORT_CHARS},
 *                         {@code CDNODES_MAX_EVALUATION_REPORT_CHARS})
 */
public record CoordinatorSettings(Path dataDir, Duration heartbeatTimeout, Duration taskTimeout, long maxUploadBytes,
                                  UnzipLimits unzipLimits, int packageRetries, URI githubApi, Duration fetchTimeout,
                                  AllowedHosts fetchAllowHosts, FileRoots fetchFileRoots, boolean allowNetwork,
                                  ReportLimits reportLimits) {

    public static CoordinatorSettings from(Function<String, String> lookup) {
        Function<String, String> get = k -> {
            String v = lookup.apply(k);
            return v == null || v.isBlank() ? null : v.trim();
        };
        Path data = Path.of(orDefault(get.apply("CDNODES_DATA_DIR"), "data")).toAbsolutePath().normalize();
        return new CoordinatorSettings(
                data,
                Duration.ofMillis(longValue(get, "CDNODES_HEARTBEAT_TIMEOUT_MS", 5000, Long.MAX_VALUE)),
                // the time limit travels in ASSIGN as an unsigned 32-bit number of seconds
                Duration.ofSeconds(longValue(get, "CDNODES_TASK_TIMEOUT_S", 1800, 0xFFFF_FFFFL)),
                longValue(get, "CDNODES_MAX_UPLOAD_MB", 512, Long.MAX_VALUE >> 20) << 20,
                UnzipLimits.defaults(),
                (int) longValue(get, "CDNODES_PACKAGE_RETRIES", 3, Integer.MAX_VALUE),
                apiRoot(orDefault(get.apply("CDNODES_GITHUB_API"), "https://api.github.com")),
                Duration.ofSeconds(longValue(get, "CDNODES_FETCH_TIMEOUT_S", 600, 86_400)),
                AllowedHosts.parse(get.apply("CDNODES_FETCH_ALLOW_HOSTS")),
                FileRoots.parse(get.apply("CDNODES_FETCH_FILE_ROOTS")),
                booleanValue(get, "CDNODES_ALLOW_NETWORK"),
                new ReportLimits(
                        (int) longValue(get, "CDNODES_MAX_REPORT_CHARS", ReportLimits.DEFAULT_PER_VALUE,
                                Assign.MAX_REPORT_CHARS),
                        longValue(get, "CDNODES_MAX_EVALUATION_REPORT_CHARS", ReportLimits.DEFAULT_PER_EVALUATION,
                                Long.MAX_VALUE)));
    }

    private static boolean booleanValue(Function<String, String> get, String key) {
        String v = get.apply(key);
        if (v == null || v.equalsIgnoreCase("false")) {
            return false;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        throw new IllegalArgumentException(key + " must be true or false: " + v);
    }

    public Path packagesDir() {
        return dataDir.resolve("packages");
    }

    public Path resultsDir() {
        return dataDir.resolve("test_results");
    }

    /** An absolute http(s) URL without credentials, query or fragment; a trailing '/' is dropped. */
    private static URI apiRoot(String v) {
        URI uri;
        try {
            uri = new URI(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("CDNODES_GITHUB_API is not a URL: " + e.getMessage(), e);
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("CDNODES_GITHUB_API must be an http(s) URL with a host and no "
                    + "credentials, query or fragment, like https://api.github.com");
        }
        return uri;
    }

    private static String orDefault(String v, String d) {
        return v == null ? d : v;
    }

    private static long longValue(Function<String, String> get, String key, long d, long max) {
        String v = get.apply(key);
        if (v == null) {
            return d;
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number: " + v, e);
        }
        if (n <= 0) {
            throw new IllegalArgumentException(key + " must be positive: " + v);
        }
        if (n > max) {
            throw new IllegalArgumentException(key + " must be at most " + max + ": " + v);
        }
        return n;
    }
}
