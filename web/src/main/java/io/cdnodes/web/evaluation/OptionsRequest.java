package io.cdnodes.web.evaluation;

import io.cdnodes.coordinator.evaluation.RunOptions;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * The run options of a submission, as JSON: {@code {"pytest_args": [...], "env": {...}, "install_deps": true,
 * "strategy": "round-robin", "granularity": "module", "network": true, "reruns": 2, "reruns_delay": 1.5}}, every key optional. Read by JSON-B
 * ({@link JsonBodies}: names in snake case, no unknown keys, no number taken for a string) and checked by the
 * constraints here; {@link #toRunOptions()} gives the domain's value, which checks the same again.
 */
public record OptionsRequest(
        @Size(max = RunOptions.MAX_ARGS, message = "has more than {max} arguments")
        List<@NotNull(message = "must be a string")
             @Size(max = RunOptions.MAX_VALUE_CHARS, message = "is over {max} characters")
             @Pattern(regexp = NO_NUL, message = "holds NUL") String> pytestArgs,
        Map<@NotNull(message = "must be an object of strings")
            @Pattern(regexp = RunOptions.ENV_NAME, message = "holds '${validatedValue}', which is not a valid variable name")
            @Pattern(regexp = NOT_RESERVED, message = "holds '${validatedValue}': variables starting with CDNODES_ are reserved") String,
            @NotNull(message = "must be a string")
            @Size(max = RunOptions.MAX_VALUE_CHARS, message = "is over {max} characters")
            @Pattern(regexp = NO_NUL, message = "holds NUL") String> env,
        Boolean installDeps,
        @Pattern(regexp = RunOptions.STRATEGY_CHOICES,
                message = "must be one of [" + RunOptions.DYNAMIC + ", " + RunOptions.ROUND_ROBIN + "]: ${validatedValue}")
        String strategy,
        @Pattern(regexp = RunOptions.GRANULARITY_CHOICES,
                message = "must be one of [auto, test, class, module]: ${validatedValue}")
        String granularity,
        Boolean network,
        @Min(value = 0, message = "must be between 0 and " + RunOptions.MAX_RERUNS + ": ${validatedValue}")
        @Max(value = RunOptions.MAX_RERUNS, message = "must be between 0 and {value}: ${validatedValue}")
        Integer reruns,
        @DecimalMin(value = "0", message = "must be between 0 and " + RunOptions.MAX_RERUNS_DELAY + " seconds: ${validatedValue}")
        @DecimalMax(value = "" + RunOptions.MAX_RERUNS_DELAY, message = "must be between 0 and {value} seconds: ${validatedValue}")
        Double rerunsDelay) {

    /**
     * Written out so that the constraints stay on the fields: Payara's OpenAPI scanner takes a constraint on a
     * constructor parameter for one on a {@code @PathParam} and fails to build {@code /openapi}.
     */
    public OptionsRequest(List<String> pytestArgs, Map<String, String> env, Boolean installDeps, String strategy,
                          String granularity, Boolean network, Integer reruns, Double rerunsDelay) {
        this.pytestArgs = pytestArgs;
        this.env = env;
        this.installDeps = installDeps;
        this.strategy = strategy;
        this.granularity = granularity;
        this.network = network;
        this.reruns = reruns;
        this.rerunsDelay = rerunsDelay;
    }

    /** No NUL anywhere: it would cut an argument or a variable short on its way to pytest. */
    static final String NO_NUL = "[^\\x00]*";

    /** The coordinator's own variables ({@code CDNODES_...}) cannot be set by a submission. */
    static final String NOT_RESERVED = "(?!CDNODES_).*";

    /**
     * The domain's value.
     *
     * @throws IllegalArgumentException when the domain refuses what the constraints let through (it checks the same)
     */
    public RunOptions toRunOptions() {
        return new RunOptions(pytestArgs, env, Boolean.TRUE.equals(installDeps), strategy, granularity,
                Boolean.TRUE.equals(network), reruns == null ? 0 : reruns, rerunsDelay == null ? 0 : rerunsDelay)
                .validated();
    }
}
