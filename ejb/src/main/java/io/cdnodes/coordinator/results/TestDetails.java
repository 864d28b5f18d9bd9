package io.cdnodes.coordinator.results;

import io.cdnodes.protocol.frame.TestResult.Report;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What pytest reported for one test beyond its outcome and one-line message (a TEST_RESULT's report, bounded):
 * each value null when absent.
 *
 * @param phase      where a failure or error happened: setup, call, teardown, or collect (a collection error)
 * @param reason     the skip or xfail reason
 * @param longrepr   the failure or error as pytest prints it
 * @param stdout     captured standard output
 * @param stderr     captured standard error
 * @param log        captured log records
 * @param properties what the test recorded with {@code record_property}, by name
 */
public record TestDetails(String phase, String reason, String longrepr, String stdout, String stderr, String log,
                          Map<String, String> properties) {

    public static final TestDetails NONE = new TestDetails(null, null, null, null, null, null, Map.of());
    private static final Set<String> PHASES = Set.of("setup", "call", "teardown", "collect");

    public TestDetails {
        phase = phase != null && PHASES.contains(phase) ? phase : null;
        properties = properties == null ? Map.of() : new TreeMap<>(properties);
    }

    /** From a report already bounded ({@link Report#bounded}); keys it does not know are left out. */
    public static TestDetails of(Map<String, String> report) {
        Map<String, String> properties = new TreeMap<>();
        report.forEach((k, v) -> {
            if (k.startsWith(Report.PROPERTY_PREFIX)) {
                properties.put(k.substring(Report.PROPERTY_PREFIX.length()), v);
            }
        });
        return new TestDetails(report.get(Report.PHASE), report.get(Report.REASON), report.get(Report.LONGREPR),
                report.get(Report.STDOUT), report.get(Report.STDERR), report.get(Report.LOG), properties);
    }

    /** The characters it holds. */
    public long chars() {
        long n = len(reason) + len(longrepr) + len(stdout) + len(stderr) + len(log);
        for (Map.Entry<String, String> e : properties.entrySet()) {
            n += e.getKey().length() + len(e.getValue());
        }
        return n;
    }

    /** The same details without their texts, which are replaced by one line saying why (the phase stays). */
    public TestDetails leftOut(String why) {
        return new TestDetails(phase, null, why, null, null, null, Map.of());
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    private static long len(String s) {
        return s == null ? 0 : s.length();
    }
}
