package io.cdnodes.web.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cdnodes.coordinator.intake.IntakeException;
import io.cdnodes.coordinator.repositories.RepositorySubmission;
import io.cdnodes.coordinator.repositories.RepositoryUrl;
import io.cdnodes.web.problem.BadRequestException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JSON body of a repository submission: what is taken and what is refused, with which words. */
class RepositoryRequestTest {

    private static final String SECRET = "ghp_requestSecret42";

    @Test
    void aFullRequest() {
        RepositorySubmission r = submission("""
                {"auth_token": "%s",
                 "projects": ["https://github.com/o/r", "http://github.com/o/r.git", "git@host:a/r"],
                 "options": {"pytest_args": ["-k", "fast"], "env": {"PYTHONPATH": "src"}, "install_deps": true,
                             "strategy": "round-robin", "granularity": "module", "network": false}}
                """.formatted(SECRET));

        assertThat(r.projects()).extracting(RepositoryUrl::kind).containsExactly(RepositoryUrl.Kind.GITHUB,
                RepositoryUrl.Kind.GITHUB, RepositoryUrl.Kind.GIT);
        assertThat(r.names()).containsExactly("o-r", "o-r-2", "a-r");
        assertThat(r.token().present()).isTrue();
        assertThat(r.options().pytestArgs()).containsExactly("-k", "fast");
        assertThat(r.options().env()).isEqualTo(Map.of("PYTHONPATH", "src"));
        assertThat(r.options().installDeps()).isTrue();
        assertThat(r.options().strategy()).isEqualTo("round-robin");
        assertThat(r.options().granularity()).isEqualTo("module");
        assertThat(RequestBodies.accept("{\"auth_token\": \"" + SECRET + "\", \"projects\": [\"https://github.com/o/r\"]}",
                RepositoryRequest.class, "the body").toString()).doesNotContain(SECRET);
    }

    @Test
    void tokenAndOptionsMayBeLeftOut() {
        RepositorySubmission r = submission("{\"projects\": [\"https://github.com/o/r\"], \"auth_token\": null}");
        assertThat(r.token().present()).isFalse();
        assertThat(r.options().pytestArgs()).isEmpty();
        assertThat(r.names()).containsExactly("r");
        assertThat(submission("{\"projects\": [\"https://github.com/o/r\"], \"auth_token\": \"\", \"options\": null}")
                .token().present()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                                            | the body is not valid JSON",
            "not json                                      | the body is not valid JSON (at line 1",
            "[\"https://github.com/o/r\"]                  | the body must be a JSON object",
            "{}                                            | projects is missing: give a list of repository URLs",
            "{\"projects\": null}                          | projects is missing",
            "{\"projects\": \"https://github.com/o/r\"}    | projects must be an array of strings",
            "{\"projects\": []}                            | projects is empty: give at least one repository URL",
            "{\"projects\": [42]}                          | projects must be an array of strings",
            "{\"projects\": [\"https://github.com/o/r\", null]} | projects[1] is not a string",
            "{\"projects\": [\"ftp://x/r\"]}               | projects[0]: 'ftp://x/r' is not a repository URL",
            "{\"projects\": [\"https://github.com/o/r\"], \"auth_token\": 7}      | auth_token must be a string",
            "{\"projects\": [\"https://github.com/o/r\"], \"auth_token\": [\"t\"]} | auth_token must be a string",
            "{\"projects\": [\"https://github.com/o/r\"], \"auth_token\": \"a b\"} | printable ASCII",
            "{\"projects\": [\"https://github.com/o/r\"], \"options\": []}        | options must be an object",
            "{\"projects\": [\"https://github.com/o/r\"], \"options\": {\"pytest_args\": \"-x\"}} | options.pytest_args must be an array of strings",
            "{\"projects\": [\"https://github.com/o/r\"], \"options\": {\"nope\": 1}} | options.nope is not a known field (known: pytest_args, env, install_deps, strategy, granularity, network, reruns, reruns_delay)",
            "{\"projects\": [\"https://github.com/o/r\"], \"options\": {\"env\": {\"1A\": \"x\"}}} | options.env holds '1A', which is not a valid variable name",
            "{\"projects\": [\"https://github.com/o/r\"], \"token\": \"x\"}       | 'token' is not a known field (known: auth_token, projects, options)",
    })
    void badRequests(String json, String why) {
        assertThat(refusal(json)).contains(why);
    }

    @Test
    void atMost500Projects() {
        String ok = IntStream.range(0, 500).mapToObj(i -> "\"https://github.com/o/r" + i + "\"")
                .collect(Collectors.joining(",", "{\"projects\": [", "]}"));
        assertThat(submission(ok).projects()).hasSize(500);
        String tooMany = IntStream.range(0, 501).mapToObj(i -> "\"https://github.com/o/r" + i + "\"")
                .collect(Collectors.joining(",", "{\"projects\": [", "]}"));
        assertThat(refusal(tooMany)).isEqualTo("projects lists more than 500 repositories; at most 500 are accepted in "
                + "one submission");
    }

    @Test
    void everyRefusalIsOneOfTheBadRequestKinds() {
        assertThat(catchThrowable(() -> submission("{\"projects\": [\"ftp://x/r\"]}")))
                .isInstanceOfSatisfying(IntakeException.class,
                        e -> assertThat(e.kind()).isEqualTo(IntakeException.Kind.BAD_REQUEST));
        assertThatThrownBy(() -> submission("{")).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> submission("{}")).isInstanceOf(RequestBodies.Refused.class);
    }

    @Test
    void noRefusalShowsTheToken() {
        for (String json : List.of(
                "{\"auth_token\": \"" + SECRET + "\", \"projects\": [\"https://" + SECRET + "@github.com/o/r\"]}",
                "{\"auth_token\": \"" + SECRET + "\", \"projects\": [\"https://github.com/" + SECRET + "/r/issues\"]}",
                "{\"auth_token\": \"" + SECRET + "\", \"projects\": [\"https://github.com/o/r\"], \"options\": {\"" + SECRET + "\": 1}}",
                "{\"auth_token\": \"" + SECRET + "\", \"projects\": [\"https://github.com/o/r\"], \"options\": {\"strategy\": \"" + SECRET + "\"}}",
                "{\"auth_token\": \"" + SECRET + "\" \"projects\": []}",
                "{\"auth_token\": \"" + SECRET + "\", \"projects\": [\"https://github.com/o/r\"], \"" + SECRET + "\": 1}")) {
            assertThat(refusal(json)).isNotEmpty().doesNotContain(SECRET);
        }
    }

    private static RepositorySubmission submission(String json) {
        return RequestBodies.accept(json, RepositoryRequest.class, "the body").toSubmission();
    }

    private static String refusal(String json) {
        Throwable t = catchThrowable(() -> submission(json));
        assertThat(t).as("refused: " + json).isNotNull();
        return t.getMessage();
    }
}
