package io.cdnodes.agent.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cdnodes.agent.link.AgentListener;
import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.AssignmentKind;
import io.cdnodes.protocol.frame.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slots with a stand-in interpreter (a shell script that sleeps $SLEEP seconds): no pytest needed. */
class SlotsTest {

    @TempDir
    Path tmp;

    private final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final List<String> released = new CopyOnWriteArrayList<>();
    private RunSettings settings;
    private Slots slots;

    @BeforeEach
    void interpreter() throws Exception {
        Path script = Files.writeString(tmp.resolve("sleeper.sh"), "#!/bin/sh\nexec sleep \"$SLEEP\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(tmp.resolve("package"));
        settings = new RunSettings(script.toString(), tmp.resolve("plugin"), Files.createDirectories(tmp.resolve("runs")),
                4096, 100);
    }

    @AfterEach
    void shutdown() throws Exception {
        slots.shutdown();
        await().atMost(Duration.ofSeconds(5)).until(RunFixture::noChildProcesses);
    }

    private void submit(long id, int attempt, String sleep) {
        Assign a = new Assign(id, attempt, 1, 1, RunFixture.PKG, AssignmentKind.RUN, List.of(), Map.of("SLEEP", sleep),
                List.of("t.py::t"), 60);
        slots.submit(new PytestRun(a, tmp.resolve("package"), settings, frames::add), () -> released.add(id + "/" + attempt));
    }

    private AssignmentDone doneOf(long id, int attempt) {
        await().atMost(Duration.ofSeconds(15)).until(() -> frames.stream().anyMatch(f ->
                f instanceof AssignmentDone d && d.assignmentId() == id && d.attempt() == attempt));
        return frames.stream().filter(f -> f instanceof AssignmentDone d && d.assignmentId() == id
                && d.attempt() == attempt).map(AssignmentDone.class::cast).findFirst().orElseThrow();
    }

    @Test
    void cancelStopsTheRunAndReleasesItsPackage() {
        slots = new Slots(2, AgentListener.LOGGING);
        submit(1, 1, "30");
        await().atMost(Duration.ofSeconds(5)).until(() -> slots.active() == 1);

        slots.cancel(1);

        assertThat(doneOf(1, 1).exitCode()).isEqualTo(AssignmentDone.EXIT_CANCELLED);
        await().atMost(Duration.ofSeconds(5)).until(() -> released.equals(List.of("1/1")) && slots.active() == 0);
    }

    @Test
    void aLaterAttemptStaysCancellableWhenTheEarlierOneEnds() {
        slots = new Slots(2, AgentListener.LOGGING);
        submit(1, 1, "0.3");
        submit(1, 2, "30");

        assertThat(doneOf(1, 1).exitCode()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> released.contains("1/1"));
        slots.cancel(1);

        assertThat(doneOf(1, 2).exitCode()).isEqualTo(AssignmentDone.EXIT_CANCELLED);
    }

    @Test
    void runsBeyondTheSlotsWaitTheirTurn() {
        slots = new Slots(1, AgentListener.LOGGING);
        submit(1, 1, "0.5");
        submit(2, 1, "0");

        doneOf(2, 1);

        assertThat(frames).extracting(f -> ((AssignmentDone) f).assignmentId()).containsExactly(1L, 2L);
        assertThat(released).containsExactly("1/1", "2/1");
    }
}
