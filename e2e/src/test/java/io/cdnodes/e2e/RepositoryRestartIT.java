package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdnodes.e2e.support.Api;
import io.cdnodes.e2e.support.Coordinator;
import io.cdnodes.e2e.support.FakeGitHub;
import io.cdnodes.e2e.support.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A coordinator killed while it fetches a repository: at its next start the project fails with a reason
 * (the token died with the old process, by design) and the evaluation ends; nothing holds the token.
 */
class RepositoryRestartIT {

    @Test
    void aFetchCutShortByACrashFailsItsProjectAtTheNextStart() throws Exception {
        try (FakeGitHub github = FakeGitHub.start();
             Coordinator c = new Coordinator(Map.of("CDNODES_GITHUB_API", github.apiUrl(),
                     "CDNODES_FETCH_ALLOW_HOSTS", github.allowHosts()))) {
            github.serve("cdnodes", "slow", Paths.fixture("mixed"));
            github.hold("cdnodes", "slow");
            c.start();
            Api api = c.api();
            List<Api.Answer> answers = new ArrayList<>();
            Api.Answer created = api.submitJson("{\"auth_token\": \"" + FakeGitHub.TOKEN
                    + "\", \"projects\": [\"https://github.com/cdnodes/slow\"]}");
            answers.add(created);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            long id = created.json().get("id").asLong();
            Awaitility.await("the download to start").atMost(Duration.ofSeconds(60))
                    .until(() -> github.requests().contains("/repos/cdnodes/slow/zipball token"));

            c.kill();
            github.release("cdnodes", "slow");
            c.start();

            Api.Answer after = api.get("/evaluation/" + id);
            answers.add(after);
            JsonNode ev = after.json();
            assertThat(ev.get("status").asText()).isEqualTo("failed");
            assertThat(ev.get("finished_at").asText()).isNotEmpty();
            JsonNode project = ev.get("projects").get(0);
            assertThat(project.get("status").asText()).isEqualTo("failed");
            assertThat(project.get("reason").asText())
                    .isEqualTo("the coordinator restarted before this repository was fetched; submit it again");
            RepositoryIntakeIT.assertNoTrace(List.of(FakeGitHub.TOKEN), answers, c.dataDir());
        }
    }
}
