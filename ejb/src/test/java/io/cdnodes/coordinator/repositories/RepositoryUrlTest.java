package io.cdnodes.coordinator.repositories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdnodes.coordinator.repositories.RepositoryUrl.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every form of repository URL accepted, and every one refused, with what is made of each. */
class RepositoryUrlTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://github.com/o/r                  | https://github.com/o/r          | o | r   |",
            "http://github.com/o/r                   | https://github.com/o/r          | o | r   |",
            "https://github.com/o/r.git              | https://github.com/o/r          | o | r   |",
            "http://github.com/o/r.git               | https://github.com/o/r          | o | r   |",
            "https://github.com/o/r/                 | https://github.com/o/r          | o | r   |",
            "https://github.com/o/r.git/             | https://github.com/o/r          | o | r   |",
            "  https://GitHub.com/Octo-Cat/my.repo_1  | https://github.com/Octo-Cat/my.repo_1 | Octo-Cat | my.repo_1 |",
            "https://www.github.com/o/r              | https://github.com/o/r          | o | r   |",
            "https://github.com/o/r/tree/main        | https://github.com/o/r/tree/main | o | r  | main",
            "https://github.com/o/r/tree/feature/x-1/ | https://github.com/o/r/tree/feature/x-1 | o | r | feature/x-1",
    })
    void gitHubUrls(String text, String url, String owner, String name, String ref) {
        RepositoryUrl u = RepositoryUrl.parse(text);
        assertThat(u.kind()).isEqualTo(Kind.GITHUB);
        assertThat(u.url()).isEqualTo(url);
        assertThat(u.owner()).isEqualTo(owner);
        assertThat(u.name()).isEqualTo(name);
        assertThat(u.ref()).isEqualTo(ref);
        assertThat(u.slug()).isEqualTo(owner + "/" + name);
        assertThat(u.ssh()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://git.example.com/x.git           | git.example.com | x      | true  | false",
            "http://git.example.com:8080/team/svc    | team            | svc    | true  | false",
            "https://gitlab.com/group/sub/proj.git/  | sub             | proj   | true  | false",
            "ssh://git@git.example.com/team/x.git    | team            | x      | false | true",
            "ssh://git.example.com:2222/x            | git.example.com | x      | false | true",
            "git@github.com:o/r.git                  | o               | r      | false | true",
            "deploy@10.0.0.5:/srv/git/app.git        | git             | app    | false | true",
            "file:///srv/repos/lib.git               | repos           | lib    | false | false",
            "file:///repo                            | localhost       | repo   | false | false",
            "file://localhost/srv/repo               | srv             | repo   | false | false",
    })
    void otherGitUrlsAreCloned(String text, String owner, String name, boolean http, boolean ssh) {
        RepositoryUrl u = RepositoryUrl.parse(text);
        assertThat(u.kind()).isEqualTo(Kind.GIT);
        assertThat(u.url()).isEqualTo(text.strip());
        assertThat(u.owner()).isEqualTo(owner);
        assertThat(u.name()).isEqualTo(name);
        assertThat(u.ref()).isNull();
        assertThat(u.http()).isEqualTo(http);
        assertThat(u.ssh()).isEqualTo(ssh);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://git.example.com/x.git           | git.example.com | 443",
            "http://git.example.com:8080/team/svc    | git.example.com | 8080",
            "http://127.0.0.2:9/x.git                | 127.0.0.2       | 9",
            "http://[::1]:9/x.git                    | [::1]           | 9",
            "https://[fd00::5]/x.git                 | [fd00::5]       | 443",
            "ssh://git@git.example.com/team/x.git    | git.example.com | 22",
            "ssh://git.example.com:2222/x            | git.example.com | 2222",
            "git@github.com:o/r.git                  | github.com      | 22",
            "deploy@10.0.0.5:/srv/git/app.git        | 10.0.0.5        | 22",
            "https://github.com/o/r                  | github.com      | 443",
    })
    void theHostAndPortACloneConnectsTo(String text, String host, int port) {
        RepositoryUrl u = RepositoryUrl.parse(text);
        assertThat(u.host()).isEqualTo(host);
        assertThat(u.port()).isEqualTo(port);
        assertThat(u.file()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "file:///srv/repos/lib.git               | /srv/repos/lib.git",
            "file://localhost/srv/repo               | /srv/repo",
            "file:///srv/my%20repo                   | /srv/my repo",
            "FILE:///srv/../etc/r                    | /srv/../etc/r",
    })
    void aFileUrlNamesAPathAndNoHost(String text, String path) {
        RepositoryUrl u = RepositoryUrl.parse(text);
        assertThat(u.file()).isTrue();
        assertThat(u.host()).isNull();
        assertThat(u.filePath()).isEqualTo(java.nio.file.Path.of(path));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                                      | empty",
            "'   '                                   | empty",
            "github.com/o/r                          | not a repository URL",
            "o/r                                     | not a repository URL",
            "ftp://example.com/r.git                 | not a repository URL",
            "git://example.com/r.git                 | not a repository URL",
            "mailto:someone@example.com              | not a repository URL",
            "https://github.com/o                    | not a GitHub repository URL",
            "https://github.com/                     | not a GitHub repository URL",
            "https://github.com/o/r/issues           | not a GitHub repository URL",
            "https://github.com/o/r/tree             | not a GitHub repository URL",
            "https://github.com/o/r/blob/main/x.py   | not a GitHub repository URL",
            "https://github.com/-o/r                 | does not name a GitHub repository",
            "https://github.com/o/r%20x              | does not name a GitHub repository",
            "https://github.com/o/..                 | does not name a GitHub repository",
            "https://github.com/o//r                 | empty segment",
            "https://github.com/o/r/tree/../x        | would not accept",
            "https://user:pw@github.com/o/r          | carries credentials",
            "https://x-access-token@git.example.com/r.git | carries credentials",
            "https://github.com/o/r?token=abc        | query or fragment",
            "https://github.com/o/r#readme           | query or fragment",
            "https://git.example.com                 | names no repository path",
            "https://git.example.com/                | names no repository path",
            "https:///r.git                          | has no host",
            "ssh://u:pw@example.com/r.git            | carries a password",
            "ssh:///r.git                            | has no host",
            "file://server/share/r.git               | names host server",
            "file:relative/r.git                     | not a repository URL",
            "https://exa mple.com/r.git              | spaces or control characters",
            "git@host:                               | is not a",
            "@host:path                              | is not a",
            "https://git.example.com/.git            | names no repository path",
    })
    void refused(String text, String why) {
        assertThatThrownBy(() -> RepositoryUrl.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://user:hunter2@git.example.com/r.git", "https://github.com/o/r?access_token=hunter2",
            "ftp://me:hunter2@example.com/r", "https://github.com/o/r#hunter2", "https://hunter2@ex ample.com/r"})
    void refusalsDoNotShowWhatMayBeASecret(String text) {
        assertThatThrownBy(() -> RepositoryUrl.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("hunter2");
    }

    @ParameterizedTest
    @ValueSource(ints = {RepositoryUrl.MAX_CHARS + 1})
    void overLongUrlsAreRefused(int length) {
        String text = "https://git.example.com/" + "a".repeat(length);
        assertThatThrownBy(() -> RepositoryUrl.parse(text)).hasMessageContaining("longer than");
    }
}
