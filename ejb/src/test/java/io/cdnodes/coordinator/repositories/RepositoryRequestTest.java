package io.cdnodes.coordinator.repositories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdnodes.coordinator.intake.IntakeException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JSON body of a repository submission: what is taken, what is refused, and how projects are named. */
class RepositoryRequestTest {

    private static final String SECRET = "ghp_requestSecret42";

    @Test
    void aFullRequest() {
        RepositoryRequest r = RepositoryRequest.parse("""
                {"auth_token": "%s",
                 "projects": ["https://github.com/o/r", "http://github.com/o/r.git", "file:///path/repo",
                              "https://git.example.com/x.git", "ssh://git@example.com/team/x.git", "git@host:a/r"],
                 "options": {"pytest_args": ["-k", "fast"], "env": {"PYTHONPATH": "src"}}}
                """.formatted(SECRET));

        assertThat(r.projects()).extracting(RepositoryUrl::kind).containsExactly(RepositoryUrl.Kind.GITHUB,
                RepositoryUrl.Kind.GITHUB, RepositoryUrl.Kind.GIT, RepositoryUrl.Kind.GIT, RepositoryUrl.Kind.GIT,
                RepositoryUrl.Kind.GIT);
        assertThat(r.names()).containsExactly("o-r", "o-r-2", "repo", "git.example.com-x", "team-x", "a-r");
        assertThat(r.token().present()).isTrue();
        assertThat(r.token().value()).isEqualTo(SECRET);
        assertThat(r.options().pytestArgs()).containsExactly("-k", "fast");
        assertThat(r.options().env()).isEqualTo(Map.of("PYTHONPATH", "src"));
        assertThat(r.source()).startsWith("repositories: https://github.com/o/r, https://github.com/o/r, file:///path/repo")
                .doesNotContain(SECRET);
        assertThat(r.toString()).doesNotContain(SECRET);
    }

    @Test
    void tokenAndOptionsMayBeLeftOut() {
        RepositoryRequest r = RepositoryRequest.parse("{\"projects\": [\"https://github.com/o/r\"], \"auth_token\": null}");
        assertThat(r.token()).isSameAs(AccessToken.NONE);
        assertThat(r.options().pytestArgs()).isEmpty();
        assertThat(r.names()).containsExactly("r");
        assertThat(RepositoryRequest.parse("{\"projects\": [\"https://github.com/o/r\"], \"auth_token\": \"\"}")
                .token().present()).isFalse();
    }

    @Test
    void namesAreTheRepositoriesUnlessTheyRepeat() {
        assertThat(RepositoryRequest.names(urls("https://github.com/a/x", "https://github.com/b/x", "https://github.com/c/y",
                "https://github.com/a/x", "https://github.com/q/a-x"))).containsExactly("a-x", "b-x", "y", "a-x-2", "a-x-3");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                                            | not valid JSON",
            "not json                                      | not valid JSON (at line 1",
            "[\"https://github.com/o/r\"]                  | must be a JSON object",
            "{}                                            | 'projects' is missing",
            "{\"projects\": null}                          | 'projects' is missing",
            "{\"projects\": \"https://github.com/o/r\"}    | must be a list",
            "{\"projects\": []}                            | 'projects' is empty",
            "{\"projects\": [42]}                          | projects[0] is not a string",
            "{\"projects\": [\"https://github.com/o/r\", null]} | projects[1] is not a string",
            "{\"projects\": [\"ftp://x/r\"]}               | projects[0]: 'ftp://x/r' is not a repository URL",
            "{\"projects\": [\"https://github.com/o/r\"], \"auth_token\": 7}      | auth_token must be a string",
            "{\"projects\": [\"https://github.com/o/r\"], \"auth_token\": [\"t\"]} | auth_token must be a string",
            "{\"projects\": [\"https://github.com/o/r\"], \"auth_token\": \"a b\"} | printable ASCII",
            "{\"projects\": [\"https://github.com/o/r\"], \"options\": []}        | options must be an object",
            "{\"projects\": [\"https://github.com/o/r\"], \"options\": {\"pytest_args\": \"-x\"}} | pytest_args",
            "{\"projects\": [\"https://github.com/o/r\"], \"options\": {\"nope\": 1}} | options.nope",
            "{\"projects\": [\"https://github.com/o/r\"], \"token\": \"x\"}       | 'token' is not a known field",
    })
    void badRequests(String json, String why) {
        assertThatThrownBy(() -> RepositoryRequest.parse(json)).isInstanceOfSatisfying(IntakeException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(IntakeException.Kind.BAD_REQUEST);
                    assertThat(e.getMessage()).contains(why);
                });
    }

    @Test
    void atMost500Projects() {
        String ok = IntStream.range(0, 500).mapToObj(i -> "\"https://github.com/o/r" + i + "\"")
                .collect(Collectors.joining(",", "{\"projects\": [", "]}"));
        assertThat(RepositoryRequest.parse(ok).projects()).hasSize(500);
        String tooMany = IntStream.range(0, 501).mapToObj(i -> "\"https://github.com/o/r" + i + "\"")
                .collect(Collectors.joining(",", "{\"projects\": [", "]}"));
        assertThatThrownBy(() -> RepositoryRequest.parse(tooMany)).hasMessageContaining("at most 500");
    }

    @Test
    void noRefusalShowsTheToken() {
        for (String json : List.of(
                "{\"auth_token\": \"" + SECRET + "\", \"projects\": [\"https://" + SECRET + "@github.com/o/r\"]}",
                "{\"auth_token\": \"" + SECRET + "\", \"projects\": [\"https://github.com/" + SECRET + "/r/issues\"]}",
                "{\"auth_token\": \"" + SECRET + "\", \"projects\": [\"https://github.com/o/r\"], \"options\": {\"" + SECRET + "\": 1}}",
                "{\"auth_token\": \"" + SECRET + "\" \"projects\": []}",
                "{\"auth_token\": \"" + SECRET + "\", \"projects\": [\"https://github.com/o/r\"], \"" + SECRET + "\": 1}")) {
            assertThatThrownBy(() -> RepositoryRequest.parse(json)).isInstanceOf(IntakeException.class)
                    .message().doesNotContain(SECRET);
        }
    }

    private static List<RepositoryUrl> urls(String... texts) {
        return java.util.Arrays.stream(texts).map(RepositoryUrl::parse).toList();
    }
}
