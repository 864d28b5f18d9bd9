package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.e2e.support.Command;
import io.cdnodes.e2e.support.Coordinator;
import io.cdnodes.e2e.support.Paths;
import io.cdnodes.e2e.support.SubmitScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A coordinator started without {@code CDNODES_ADMIN_KEY} (as {@code ./cdnodes up} starts it) makes its admin key
 * into its data folder, readable by its owner only, and the submit command finds it there with nothing more than
 * the {@code CDNODES_DATA_DIR} that {@code ./cdnodes} exports.
 */
class AdminKeyFileIT {

    @Test
    void aCoordinatorWithoutAnAdminKeyMakesOneThatTheSubmitCommandFinds() throws Exception {
        try (Coordinator c = new Coordinator(Map.of("CDNODES_ADMIN_KEY", ""))) {
            c.start();
            Path keyFile = c.dataDir().resolve("admin.key");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
            assertThat(c.adminKey()).matches("cdn_admin_[A-Za-z0-9_-]{43}");

            Path project = Paths.work("keyfile-").resolve("passing");
            Files.createDirectories(project.resolve("tests"));
            Files.writeString(project.resolve("tests/test_ok.py"), "def test_ok():\n    assert True\n");
            Command.Result r = SubmitScript.run(Map.of("CDNODES_DATA_DIR", c.dataDir().toString()),
                    "--url", c.url(), project.toString());
            assertThat(r.exit()).as(r.output()).isZero();
            long id = Long.parseLong(r.output().strip().lines().reduce((a, b) -> b).orElseThrow().strip());
            assertThat(c.api().get("/evaluation/" + id).json().get("status").asText()).isEqualTo("queued");

            Command.Result wrong = SubmitScript.run(Map.of("CDNODES_DATA_DIR", c.dataDir().toString(),
                    "CDNODES_API_KEY", "cdn_0123456789abcdef_" + "B".repeat(43)), "--url", c.url(), project.toString());
            assertThat(wrong.exit()).as(wrong.output()).isEqualTo(4);
            assertThat(wrong.output()).contains("valid API key (401)");
            ApiKeysIT.assertNoKeyIn(c.dataDir(), List.of(c.adminKey()));
        }
    }
}
