package io.cdnodes.web.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cdnodes.coordinator.evaluation.RunOptions;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The run options of a submission (the multipart field {@code options}, or {@code "options"} in JSON). */
class OptionsRequestTest {

    @Test
    void readsTheApiShape() {
        RunOptions o = options("{\"pytest_args\": [\"--doctest-modules\", \"src\", \"tests\"],"
                + " \"env\": {\"PYTHONPATH\": \"src\", \"A_1\": \"\"}, \"install_deps\": true, \"strategy\": \"round-robin\","
                + " \"granularity\": \"module\", \"network\": true, \"reruns\": 3, \"reruns_delay\": 0.5}");

        assertThat(o).isEqualTo(new RunOptions(List.of("--doctest-modules", "src", "tests"),
                Map.of("PYTHONPATH", "src", "A_1", ""), true, "round-robin", "module", true, 3, 0.5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"pytest_args\": null, \"env\": null}", "{\"pytest_args\": [], \"env\": {}}",
            "{\"install_deps\": false, \"network\": null, \"strategy\": null}",
            "{\"reruns\": 0, \"reruns_delay\": null}"})
    void emptyOrNullFieldsMeanNoOptions(String json) {
        assertThat(options(json)).isEqualTo(RunOptions.none());
    }

    @Test
    void atTheLimits() {
        String many = Collections.nCopies(200, "\"-v\"").stream().collect(Collectors.joining(",", "[", "]"));
        assertThat(options("{\"pytest_args\": " + many + "}").pytestArgs()).hasSize(200);
        assertThat(options("{\"env\": {\"A\": \"" + "x".repeat(8192) + "\"}}").env().get("A")).hasSize(8192);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[1, 2]                              | options must be a JSON object",
            "{                                   | options is not valid JSON (at line 1, column ",
            "\"text\"                            | options must be a JSON object",
            "{\"pytest_args\": \"-x\"}           | options.pytest_args must be an array of strings",
            "{\"pytest_args\": [\"-x\", 3]}      | options.pytest_args must be an array of strings",
            "{\"pytest_args\": [null]}           | options.pytest_args[0] must be a string",
            "{\"pytest_args\": [\"a\\u0000b\"]}  | options.pytest_args[0] holds NUL",
            "{\"env\": [\"A=1\"]}                | options.env must be an object of strings",
            "{\"env\": {\"A\": 1}}               | options.env must be an object of strings",
            "{\"env\": {\"A\": null}}            | options.env.A must be a string",
            "{\"timeout\": 5}                    | options.timeout is not a known field (known: pytest_args, env, install_deps, strategy, granularity, network, reruns, reruns_delay)",
            "{\"network\": \"yes\"}              | options.network must be true or false",
            "{\"install_deps\": \"true\"}        | options.install_deps must be true or false",
            "{\"install_deps\": 1}               | options.install_deps must be true or false",
            "{\"env\": {\"1A\": \"x\"}}          | options.env holds '1A', which is not a valid variable name",
            "{\"env\": {\"CDNODES_TOKEN\": \"x\"}} | options.env holds 'CDNODES_TOKEN': variables starting with CDNODES_ are reserved",
            "{\"strategy\": \"fastest\"}           | options.strategy must be one of [dynamic, round-robin]: fastest",
            "{\"strategy\": 1}                   | options.strategy must be a string",
            "{\"granularity\": \"file\"}          | options.granularity must be one of [auto, test, class, module]: file",
            "{\"reruns\": 11}                    | options.reruns must be between 0 and 10: 11",
            "{\"reruns\": -2}                    | options.reruns must be between 0 and 10: -2",
            "{\"reruns\": \"2\"}                  | options.reruns must be a whole number",
            "{\"reruns\": 1.5}                   | options.reruns must be a whole number",
            "{\"reruns\": 4294967298}            | options.reruns must be between 0 and 10: 2147483647",
            "{\"reruns_delay\": \"1\"}            | options.reruns_delay must be a number",
            "{\"reruns_delay\": 600.5}           | options.reruns_delay must be between 0 and 600 seconds: 600.5",
            "{\"reruns_delay\": -1}              | options.reruns_delay must be between 0 and 600 seconds: -1"})
    void refusesOtherShapesNamingTheField(String json, String message) {
        assertThat(catchThrowable(() -> options(json))).hasMessageStartingWith(message);
    }

    @Test
    void overTheLimits() {
        String many = Collections.nCopies(201, "\"-v\"").stream().collect(Collectors.joining(",", "[", "]"));
        assertThat(catchThrowable(() -> options("{\"pytest_args\": " + many + "}")))
                .hasMessage("options.pytest_args has more than 200 arguments");
        assertThat(catchThrowable(() -> options("{\"pytest_args\": [\"" + "x".repeat(8193) + "\"]}")))
                .hasMessage("options.pytest_args[0] is over 8192 characters");
        assertThat(catchThrowable(() -> options("{\"env\": {\"A\": \"" + "x".repeat(8193) + "\"}}")))
                .hasMessage("options.env.A is over 8192 characters");
    }

    @Test
    void everyRefusalIsNamedOnce() {
        assertThat(catchThrowable(() -> options("{\"strategy\": \"x\", \"granularity\": \"y\"}"))).hasMessage(
                "options.granularity must be one of [auto, test, class, module]: y; "
                        + "options.strategy must be one of [dynamic, round-robin]: x");
    }

    private static RunOptions options(String json) {
        return RequestBodies.accept(json, OptionsRequest.class, "options").toRunOptions();
    }
}
