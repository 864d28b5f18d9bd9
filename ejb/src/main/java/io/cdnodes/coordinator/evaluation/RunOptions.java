package io.cdnodes.coordinator.evaluation;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How an evaluation's projects are run: extra pytest arguments and environment variables, applied to
 * every project as {@code python -m pytest <pytestArgs>} in the project root.
 *
 * @param pytestArgs  arguments, exactly as on a pytest command line, one per element
 * @param env         environment variables added to the pytest process
 * @param installDeps install what each project declares for its tests (requirement files, pyproject.toml
 *                    dependencies and test extras) into a virtual environment on each worker first
 * @param strategy    how tests are spread over workers: {@value #DYNAMIC} (default: longest first, in batches
 *                    pulled by free workers, using duration history) or {@value #ROUND_ROBIN} (one batch per
 *                    test module, dealt to the workers in turn)
 * @param granularity what stays together in one pytest process with the dynamic strategy: {@value #AUTO}
 *                    (default: tests that share a class-, module- or package-scoped fixture, as the worker
 *                    that collected them found, and otherwise single tests), {@code test}, {@code class} or
 *                    {@code module}
 * @param network     the tests may use the network (a sandboxed worker otherwise gives them only a loopback of
 *                    their own); accepted only where the coordinator allows it ({@code CDNODES_ALLOW_NETWORK})
 * @param reruns      how many times a test that failed or errored runs again (on another worker where there is
 *                    one), what pytest-rerunfailures' {@code --reruns} is: one that passes on a rerun ends passed
 *                    and flaky; 0 (default) to {@value #MAX_RERUNS}
 * @param rerunsDelay seconds to wait before each rerun ({@code --reruns-delay}), 0 (default) to
 *                    {@value #MAX_RERUNS_DELAY}
 */
public record RunOptions(List<String> pytestArgs, Map<String, String> env, boolean installDeps, String strategy,
                         String granularity, boolean network, int reruns, double rerunsDelay) {

    public static final String DYNAMIC = "dynamic";
    public static final String ROUND_ROBIN = "round-robin";
    public static final List<String> STRATEGIES = List.of(DYNAMIC, ROUND_ROBIN);
    public static final String AUTO = "auto";
    public static final List<String> GRANULARITIES = List.of(AUTO, "test", "class", "module");
    /** The strategies as a regular expression (for constraints on a request's options). */
    public static final String STRATEGY_CHOICES = DYNAMIC + "|" + ROUND_ROBIN;
    /** The granularities as a regular expression. */
    public static final String GRANULARITY_CHOICES = AUTO + "|test|class|module";
    /** What an environment variable's name may be. */
    public static final String ENV_NAME = "[A-Za-z_][A-Za-z0-9_]*";
    /** Pytest arguments at most. */
    public static final int MAX_ARGS = 200;
    /** Characters of one argument or one variable's value at most. */
    public static final int MAX_VALUE_CHARS = 8192;
    /** Reruns of one test at most. */
    public static final int MAX_RERUNS = 10;
    /** Seconds before a rerun at most. */
    public static final int MAX_RERUNS_DELAY = 600;

    private static final Pattern ENV_NAME_PATTERN = Pattern.compile(ENV_NAME);

    public RunOptions {
        pytestArgs = pytestArgs == null ? List.of() : List.copyOf(pytestArgs);
        env = env == null ? Map.of() : Map.copyOf(env);
        strategy = strategy == null ? DYNAMIC : strategy;
        granularity = granularity == null ? AUTO : granularity;
    }

    /** Options without reruns. */
    public RunOptions(List<String> pytestArgs, Map<String, String> env, boolean installDeps, String strategy,
                      String granularity, boolean network) {
        this(pytestArgs, env, installDeps, strategy, granularity, network, 0, 0);
    }

    /** These options with {@code reruns} reruns of a failed test, {@code delay} seconds apart. */
    public RunOptions withReruns(int reruns, double delay) {
        return new RunOptions(pytestArgs, env, installDeps, strategy, granularity, network, reruns, delay);
    }

    /** Options without network. */
    public RunOptions(List<String> pytestArgs, Map<String, String> env, boolean installDeps, String strategy,
                      String granularity) {
        this(pytestArgs, env, installDeps, strategy, granularity, false);
    }

    /** Options with the default strategy and granularity. */
    public RunOptions(List<String> pytestArgs, Map<String, String> env, boolean installDeps) {
        this(pytestArgs, env, installDeps, DYNAMIC, AUTO);
    }

    /** Options without {@code install_deps}. */
    public RunOptions(List<String> pytestArgs, Map<String, String> env) {
        this(pytestArgs, env, false);
    }

    public static RunOptions none() {
        return new RunOptions(List.of(), Map.of(), false);
    }

    /** Whether pytest is asked for doctests ({@code --doctest-modules}, {@code --doctest-glob=...}). */
    public boolean doctests() {
        return pytestArgs.stream().anyMatch(a -> a.startsWith("--doctest"));
    }

    /**
     * Checks the options against what the coordinator allows.
     *
     * @param networkAllowed whether test runs may have the network ({@code CDNODES_ALLOW_NETWORK})
     * @throws IllegalArgumentException with a message fit for the user when an option is not allowed here
     */
    public RunOptions allowedBy(boolean networkAllowed) {
        if (network && !networkAllowed) {
            throw new IllegalArgumentException("options.network: this coordinator does not give test runs the "
                    + "network (its administrator can allow it with CDNODES_ALLOW_NETWORK=true)");
        }
        return this;
    }

    /**
     * Checks the options a user gave.
     *
     * @throws IllegalArgumentException with a message fit for the user when something is not acceptable
     */
    public RunOptions validated() {
        if (!STRATEGIES.contains(strategy)) {
            throw new IllegalArgumentException("options.strategy must be one of " + STRATEGIES + ": " + strategy);
        }
        if (!GRANULARITIES.contains(granularity)) {
            throw new IllegalArgumentException("options.granularity must be one of " + GRANULARITIES + ": "
                    + granularity);
        }
        if (reruns < 0 || reruns > MAX_RERUNS) {
            throw new IllegalArgumentException("options.reruns must be between 0 and " + MAX_RERUNS + ": " + reruns);
        }
        if (!(rerunsDelay >= 0 && rerunsDelay <= MAX_RERUNS_DELAY)) {
            throw new IllegalArgumentException("options.reruns_delay must be between 0 and " + MAX_RERUNS_DELAY
                    + " seconds: " + rerunsDelay);
        }
        if (pytestArgs.size() > MAX_ARGS) {
            throw new IllegalArgumentException("options.pytest_args has more than " + MAX_ARGS + " arguments");
        }
        for (String a : pytestArgs) {
            if (a == null || a.length() > MAX_VALUE_CHARS || a.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("options.pytest_args holds an empty, over-long or NUL-bearing argument");
            }
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!ENV_NAME_PATTERN.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("options.env: '" + e.getKey() + "' is not a valid variable name");
            }
            if (e.getKey().startsWith("CDNODES_")) {
                throw new IllegalArgumentException("options.env: variables starting with CDNODES_ are reserved");
            }
            if (e.getValue() == null || e.getValue().length() > MAX_VALUE_CHARS || e.getValue().indexOf('\0') >= 0) {
                throw new IllegalArgumentException("options.env." + e.getKey() + " is missing, over-long or holds NUL");
            }
        }
        return this;
    }
}
