package io.cdnodes.protocol.frame;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Work for a worker. The package must have been sent (or announced as held) before.
 *
 * @param assignmentId   the coordinator's id for this piece of work
 * @param attempt        which attempt this is; results carry it back, and only the current attempt counts
 * @param evaluationId   the evaluation the work belongs to
 * @param projectId      the project within it
 * @param packageId      the project's package (SHA-256, hex)
 * @param kind           collect the tests, or run the listed ones
 * @param pytestArgs     the project's pytest arguments, exactly as the user gave them
 * @param env            extra environment variables for the pytest process
 * @param nodeIds        the node ids to run (empty for {@link AssignmentKind#COLLECT})
 * @param timeoutSeconds the most the pytest process may take before it is killed
 * @param directives     how the worker should prepare the run, keys it does not know are ignored:
 *                       {@value #INSTALL_DEPS} ("true": install the project's declared test dependencies),
 *                       {@value #NETWORK} ("true": a sandboxed worker gives the tests the host's network),
 *                       {@value #REPORT_CHARS} (the most characters of each TEST_RESULT report value)
 */
public record Assign(long assignmentId, int attempt, long evaluationId, long projectId, String packageId,
                     AssignmentKind kind, List<String> pytestArgs, Map<String, String> env,
                     List<String> nodeIds, long timeoutSeconds, Map<String, String> directives) implements Frame {

    /** Directive: install the project's declared test dependencies into a cached virtual environment. */
    public static final String INSTALL_DEPS = "install_deps";

    /**
     * Directive: the tests may use the network (a sandboxed worker otherwise gives them only a loopback of their
     * own). The coordinator sends it only where its administrator allows it.
     */
    public static final String NETWORK = "network";

    /** Directive: the most characters of each value of a TEST_RESULT's report; {@link #reportChars()}. */
    public static final String REPORT_CHARS = "report_chars";
    /** The bound of each report value when the coordinator does not say. */
    public static final int DEFAULT_REPORT_CHARS = 32_768;
    /** The most a coordinator may ask for: a whole report must fit a frame with room to spare. */
    public static final int MAX_REPORT_CHARS = 1 << 18;

    public Assign {
        Checks.u32(attempt, "attempt");
        Checks.packageId(packageId);
        Objects.requireNonNull(kind, "kind");
        pytestArgs = List.copyOf(pytestArgs);
        env = Map.copyOf(env);
        nodeIds = List.copyOf(nodeIds);
        Checks.u32(timeoutSeconds, "timeoutSeconds");
        directives = Map.copyOf(directives);
    }

    /** An assignment without directives. */
    public Assign(long assignmentId, int attempt, long evaluationId, long projectId, String packageId,
                  AssignmentKind kind, List<String> pytestArgs, Map<String, String> env, List<String> nodeIds,
                  long timeoutSeconds) {
        this(assignmentId, attempt, evaluationId, projectId, packageId, kind, pytestArgs, env, nodeIds,
                timeoutSeconds, Map.of());
    }

    /** Whether a directive is set to "true". */
    public boolean directive(String key) {
        return "true".equals(directives.get(key));
    }

    /**
     * The most characters of each value of a TEST_RESULT's report: the {@value #REPORT_CHARS} directive, between 0
     * and {@value #MAX_REPORT_CHARS}, or {@value #DEFAULT_REPORT_CHARS} when it is absent or not a number.
     */
    public int reportChars() {
        String v = directives.get(REPORT_CHARS);
        if (v == null) {
            return DEFAULT_REPORT_CHARS;
        }
        try {
            return (int) Math.max(0, Math.min(MAX_REPORT_CHARS, Long.parseLong(v.strip())));
        } catch (NumberFormatException e) {
            return DEFAULT_REPORT_CHARS;
        }
    }

    @Override
    public FrameType type() {
        return FrameType.ASSIGN;
    }
}
