package io.cdnodes.coordinator.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunOptionsTest {

    @Test
    void nullsBecomeEmptyAndInputsAreCopied() {
        List<String> args = new ArrayList<>(List.of("-x"));
        Map<String, String> env = new HashMap<>(Map.of("A", "1"));
        RunOptions o = new RunOptions(args, env);
        args.add("-v");
        env.put("B", "2");

        assertThat(o.pytestArgs()).containsExactly("-x");
        assertThat(o.env()).containsOnly(Map.entry("A", "1"));
        assertThat(new RunOptions(null, null)).isEqualTo(RunOptions.none());
        assertThatThrownBy(() -> o.pytestArgs().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void doctestArgumentsAskForDoctests() {
        assertThat(new RunOptions(List.of("--doctest-modules", "src"), Map.of()).doctests()).isTrue();
        assertThat(new RunOptions(List.of("-x", "--doctest-glob=*.rst"), Map.of()).doctests()).isTrue();
        assertThat(new RunOptions(List.of("-k", "doctest"), Map.of()).doctests()).isFalse();
        assertThat(RunOptions.none().doctests()).isFalse();
    }

    @Test
    void acceptableOptionsValidateToThemselves() {
        RunOptions o = new RunOptions(List.of("-k", "", "x".repeat(8192)),
                Map.of("_PRIVATE", "", "PYTHONPATH", "src:lib", "a1", "x".repeat(8192), "cdnodes_lower", "ok"));

        assertThat(o.validated()).isSameAs(o);
        assertThat(new RunOptions(Collections.nCopies(200, "-v"), Map.of()).validated().pytestArgs()).hasSize(200);
    }

    @Test
    void tooManyArguments() {
        assertThatThrownBy(() -> new RunOptions(Collections.nCopies(201, "-v"), Map.of()).validated())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("options.pytest_args has more than 200 arguments");
    }

    @Test
    void overLongOrNulBearingArguments() {
        for (String bad : List.of("x".repeat(8193), "a\0b")) {
            assertThatThrownBy(() -> new RunOptions(List.of("-x", bad), Map.of()).validated())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("options.pytest_args holds an empty, over-long or NUL-bearing argument");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1A", "A-B", "A B", "A=B", "Ä", "A.B"})
    void invalidVariableNames(String name) {
        assertThatThrownBy(() -> new RunOptions(List.of(), Map.of(name, "x")).validated())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("options.env: '" + name + "' is not a valid variable name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CDNODES_", "CDNODES_WORKER_TOKEN", "CDNODES_DATA_DIR"})
    void reservedVariables(String name) {
        assertThatThrownBy(() -> new RunOptions(List.of(), Map.of(name, "x")).validated())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("options.env: variables starting with CDNODES_ are reserved");
    }

    @Test
    void overLongOrNulBearingValues() {
        for (String bad : List.of("x".repeat(8193), "a\0b")) {
            assertThatThrownBy(() -> new RunOptions(List.of(), Map.of("V", bad)).validated())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("options.env.V is missing, over-long or holds NUL");
        }
    }

    @Test
    void theNetworkIsRefusedUnlessTheCoordinatorAllowsIt() {
        RunOptions net = new RunOptions(List.of(), Map.of(), false, RunOptions.DYNAMIC, RunOptions.AUTO, true);

        assertThatThrownBy(() -> net.allowedBy(false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("options.network").hasMessageContaining("CDNODES_ALLOW_NETWORK");
        assertThat(net.allowedBy(true)).isSameAs(net);
        assertThat(RunOptions.none().allowedBy(false)).isEqualTo(RunOptions.none());
    }
}
