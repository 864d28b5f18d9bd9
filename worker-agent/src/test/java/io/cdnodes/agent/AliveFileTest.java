package io.cdnodes.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.agent.link.AgentListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AliveFileTest {

    @TempDir
    Path dir;

    private final List<String> told = new ArrayList<>();
    private final AgentListener next = new AgentListener() {
        @Override
        public void connected(String endpoint, String workerId) {
            told.add("connected " + workerId);
        }

        @Override
        public void heartbeatSent() {
            told.add("beat");
        }

        @Override
        public void problem(String message, Throwable cause) {
            told.add("problem " + message);
        }
    };

    @Test
    void everyHeartbeatSetsTheFilesTimeAndPassesOn() throws Exception {
        Path file = dir.resolve("run/alive");
        Instant t0 = Instant.parse("2026-12-07T10:00:00Z");
        AliveFile alive = new AliveFile(file, next, Clock.fixed(t0, ZoneOffset.UTC));

        assertThat(file).doesNotExist();
        alive.heartbeatSent();
        assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(t0);

        new AliveFile(file, next, Clock.fixed(t0.plusSeconds(5), ZoneOffset.UTC)).heartbeatSent();
        assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(t0.plusSeconds(5));
        alive.connected("tcp://x", "w-1");
        assertThat(told).containsExactly("beat", "beat", "connected w-1");
    }

    @Test
    void aFileThatCannotBeWrittenIsSaidOnceAndTheWorkerGoesOn() throws Exception {
        Path blocker = dir.resolve("not-a-folder");
        Files.writeString(blocker, "x");
        AliveFile alive = new AliveFile(blocker.resolve("alive"), next);

        alive.heartbeatSent();
        alive.heartbeatSent();

        assertThat(told).filteredOn(s -> s.startsWith("problem")).hasSize(1);
        assertThat(told).filteredOn("beat"::equals).hasSize(2);
    }
}
