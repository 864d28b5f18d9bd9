package io.cdnodes.coordinator.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class OptionsJsonTest {

    @Test
    void readsTheApiShape() {
        RunOptions o = OptionsJson.read("{\"pytest_args\": [\"--doctest-modules\", \"src\", \"tests\"],"
                + " \"env\": {\"PYTHONPATH\": \"src\", \"A_1\": \"\"}}");

        assertThat(o.pytestArgs()).containsExactly("--doctest-modules", "src", "tests");
        assertThat(o.env()).containsOnly(Map.entry("PYTHONPATH", "src"), Map.entry("A_1", ""));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\n"})
    void nothingMeansNoOptions(String json) {
        assertThat(OptionsJson.read(json)).isEqualTo(RunOptions.none());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"pytest_args\": null, \"env\": null}", "{\"pytest_args\": [], \"env\": {}}"})
    void emptyOrNullFieldsMeanNoOptions(String json) {
        assertThat(OptionsJson.read(json)).isEqualTo(RunOptions.none());
    }

    @Test
    void writesSortedEnvAndRoundTrips() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ZED", "z");
        env.put("ALPHA", "a \"quoted\" \\ value");
        RunOptions o = new RunOptions(List.of("-k", "not slow", "-x"), env);

        String json = OptionsJson.write(o);

        assertThat(json).isEqualTo("{\"pytest_args\":[\"-k\",\"not slow\",\"-x\"],"
                + "\"env\":{\"ALPHA\":\"a \\\"quoted\\\" \\\\ value\",\"ZED\":\"z\"}}");
        assertThat(OptionsJson.read(json)).isEqualTo(o);
    }

    @Test
    void installDepsIsReadWrittenOnlyWhenSetAndRoundTrips() {
        RunOptions deps = OptionsJson.read("{\"install_deps\": true, \"env\": {\"PYTHONPATH\": \"src\"}}");

        assertThat(deps).isEqualTo(new RunOptions(List.of(), Map.of("PYTHONPATH", "src"), true));
        assertThat(OptionsJson.write(deps))
                .isEqualTo("{\"pytest_args\":[],\"env\":{\"PYTHONPATH\":\"src\"},\"install_deps\":true}");
        assertThat(OptionsJson.read(OptionsJson.write(deps))).isEqualTo(deps);
        assertThat(OptionsJson.read("{\"install_deps\": false}")).isEqualTo(RunOptions.none());
        assertThat(OptionsJson.read("{\"install_deps\": null}")).isEqualTo(RunOptions.none());
        assertThat(OptionsJson.write(new RunOptions(List.of("-x"), Map.of(), false)))
                .isEqualTo("{\"pytest_args\":[\"-x\"],\"env\":{}}");
    }

    @Test
    void rerunsAreReadWrittenOnlyWhenSetAndRoundTrip() {
        RunOptions o = OptionsJson.read("{\"reruns\": 2, \"reruns_delay\": 1.5}");
        assertThat(o.reruns()).isEqualTo(2);
        assertThat(o.rerunsDelay()).isEqualTo(1.5);
        assertThat(OptionsJson.write(o)).isEqualTo("{\"pytest_args\":[],\"env\":{},\"reruns\":2,\"reruns_delay\":1.5}");
        assertThat(OptionsJson.read(OptionsJson.write(o))).isEqualTo(o);
        assertThat(OptionsJson.read("{\"reruns\": 0, \"reruns_delay\": 0}")).isEqualTo(RunOptions.none());
        assertThat(OptionsJson.write(RunOptions.none().withReruns(1, 0))).endsWith(",\"reruns\":1}");
    }

    @Test
    void writesNoOptions() {
        assertThat(OptionsJson.write(RunOptions.none())).isEqualTo("{\"pytest_args\":[],\"env\":{}}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[1, 2]                              | options must be a JSON object: ",
            "{                                   | options must be a JSON object: ",
            "\"text\"                            | options must be a JSON object: ",
            "{\"pytest_args\": \"-x\"}           | options.pytest_args must be an array of strings",
            "{\"pytest_args\": [\"-x\", 3]}      | options.pytest_args must be an array of strings",
            "{\"pytest_args\": [null]}           | options.pytest_args must be an array of strings",
            "{\"env\": [\"A=1\"]}                | options.env must be an object of strings",
            "{\"env\": {\"A\": 1}}               | options.env.A must be a string",
            "{\"env\": {\"A\": null}}            | options.env.A must be a string",
            "{\"timeout\": 5}                    | options.timeout is not a known option (known: pytest_args, env, install_deps, strategy, granularity, network, reruns, reruns_delay)",
            "{\"network\": \"yes\"}              | options.network must be true or false",
            "{\"install_deps\": \"true\"}        | options.install_deps must be true or false",
            "{\"install_deps\": 1}               | options.install_deps must be true or false",
            "{\"env\": {\"1A\": \"x\"}}          | options.env: '1A' is not a valid variable name",
            "{\"env\": {\"CDNODES_TOKEN\": \"x\"}} | options.env: variables starting with CDNODES_ are reserved",
            "{\"strategy\": \"fastest\"}           | options.strategy must be one of [dynamic, round-robin]: fastest",
            "{\"strategy\": 1}                   | options.strategy must be a string",
            "{\"granularity\": \"file\"}          | options.granularity must be one of [auto, test, class, module]: file",
            "{\"reruns\": 11}                    | options.reruns must be between 0 and 10: 11",
            "{\"reruns\": -1}                    | options.reruns must be between 0 and 10: -1",
            "{\"reruns\": 4294967298}            | options.reruns must be between 0 and 10: 2147483647",
            "{\"reruns\": 1.5}                   | options.reruns must be a whole number",
            "{\"reruns\": \"2\"}                  | options.reruns must be a whole number",
            "{\"reruns_delay\": 601}             | options.reruns_delay must be between 0 and 600 seconds: 601.0",
            "{\"reruns_delay\": -0.5}            | options.reruns_delay must be between 0 and 600 seconds: -0.5",
            "{\"reruns_delay\": true}            | options.reruns_delay must be a number"})
    void refusesOtherShapesWithAMessageForTheUser(String json, String message) {
        assertThatThrownBy(() -> OptionsJson.read(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @org.junit.jupiter.api.Test
    void strategyAndGranularityRoundTripAndDefaultsAreNotWritten() {
        RunOptions o = OptionsJson.read("{\"strategy\": \"round-robin\", \"granularity\": \"module\"}");
        org.assertj.core.api.Assertions.assertThat(o.strategy()).isEqualTo("round-robin");
        org.assertj.core.api.Assertions.assertThat(o.granularity()).isEqualTo("module");
        org.assertj.core.api.Assertions.assertThat(OptionsJson.read(OptionsJson.write(o))).isEqualTo(o);
        org.assertj.core.api.Assertions.assertThat(OptionsJson.write(RunOptions.none()))
                .isEqualTo("{\"pytest_args\":[],\"env\":{}}");
        org.assertj.core.api.Assertions.assertThat(RunOptions.none().strategy()).isEqualTo("dynamic");
        org.assertj.core.api.Assertions.assertThat(RunOptions.none().granularity()).isEqualTo("auto");
    }

    @Test
    void networkIsReadWrittenOnlyWhenSetAndRoundTrips() {
        RunOptions net = OptionsJson.read("{\"network\": true}");

        assertThat(net.network()).isTrue();
        assertThat(OptionsJson.write(net)).isEqualTo("{\"pytest_args\":[],\"env\":{},\"network\":true}");
        assertThat(OptionsJson.read(OptionsJson.write(net))).isEqualTo(net);
        assertThat(OptionsJson.read("{\"network\": false}")).isEqualTo(RunOptions.none());
    }
}
