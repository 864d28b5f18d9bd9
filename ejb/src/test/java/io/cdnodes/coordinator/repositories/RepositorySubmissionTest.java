package io.cdnodes.coordinator.repositories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.coordinator.intake.IntakeException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A repository submission as the domain takes it: which URLs, how projects are named, what is refused. The JSON
 * body it comes from is read in web (its RepositoryRequestTest).
 */
class RepositorySubmissionTest {

    private static final String SECRET = "ghp_requestSecret42";

    @Test
    void aFullSubmission() {
        RunOptions options = new RunOptions(List.of("-k", "fast"), Map.of("PYTHONPATH", "src"));
        RepositorySubmission r = RepositorySubmission.of(List.of("https://github.com/o/r", "http://github.com/o/r.git",
                "file:///path/repo", "https://git.example.com/x.git", "ssh://git@example.com/team/x.git", "git@host:a/r"),
                SECRET, options);

        assertThat(r.projects()).extracting(RepositoryUrl::kind).containsExactly(RepositoryUrl.Kind.GITHUB,
                RepositoryUrl.Kind.GITHUB, RepositoryUrl.Kind.GIT, RepositoryUrl.Kind.GIT, RepositoryUrl.Kind.GIT,
                RepositoryUrl.Kind.GIT);
        assertThat(r.names()).containsExactly("o-r", "o-r-2", "repo", "git.example.com-x", "team-x", "a-r");
        assertThat(r.token().present()).isTrue();
        assertThat(r.token().value()).isEqualTo(SECRET);
        assertThat(r.options()).isSameAs(options);
        assertThat(r.source()).startsWith("repositories: https://github.com/o/r, https://github.com/o/r, file:///path/repo")
                .doesNotContain(SECRET);
        assertThat(r.toString()).doesNotContain(SECRET);
    }

    @Test
    void aMissingOrEmptyTokenIsNone() {
        RepositorySubmission r = RepositorySubmission.of(List.of("https://github.com/o/r"), null, RunOptions.none());
        assertThat(r.token()).isSameAs(AccessToken.NONE);
        assertThat(r.names()).containsExactly("r");
        assertThat(RepositorySubmission.of(List.of("https://github.com/o/r"), "", RunOptions.none()).token().present())
                .isFalse();
    }

    @Test
    void namesAreTheRepositoriesUnlessTheyRepeat() {
        assertThat(RepositorySubmission.names(urls("https://github.com/a/x", "https://github.com/b/x", "https://github.com/c/y",
                "https://github.com/a/x", "https://github.com/q/a-x"))).containsExactly("a-x", "b-x", "y", "a-x-2", "a-x-3");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ftp://x/r        | a b    | printable ASCII",
            "ftp://x/r        |        | projects[0]: 'ftp://x/r' is not a repository URL",
            "''               |        | projects[0]: a project URL is empty"})
    void badSubmissions(String url, String token, String why) {
        assertThatThrownBy(() -> RepositorySubmission.of(List.of(url), token, RunOptions.none()))
                .isInstanceOfSatisfying(IntakeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(IntakeException.Kind.BAD_REQUEST);
                    assertThat(e.getMessage()).contains(why);
                });
    }

    @Test
    void oneToFiveHundredProjects() {
        assertThat(RepositorySubmission.of(Collections.nCopies(500, "https://github.com/o/r"), null, RunOptions.none())
                .projects()).hasSize(500);
        assertThatThrownBy(() -> RepositorySubmission.of(Collections.nCopies(501, "https://github.com/o/r"), null,
                RunOptions.none())).hasMessageContaining("give 1 to 500");
        assertThatThrownBy(() -> RepositorySubmission.of(List.of(), null, RunOptions.none()))
                .hasMessageContaining("give 1 to 500");
    }

    @Test
    void noRefusalShowsTheToken() {
        for (String url : List.of("https://" + SECRET + "@github.com/o/r", "https://github.com/" + SECRET + "/r/issues")) {
            assertThatThrownBy(() -> RepositorySubmission.of(List.of(url), SECRET, RunOptions.none()))
                    .isInstanceOf(IntakeException.class).message().doesNotContain(SECRET);
        }
    }

    private static List<RepositoryUrl> urls(String... texts) {
        return java.util.Arrays.stream(texts).map(RepositoryUrl::parse).toList();
    }
}
