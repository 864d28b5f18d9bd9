package io.cdnodes.agent;

import io.cdnodes.agent.link.AgentListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;

/**
 * A liveness file ({@code --alive-file}): its modification time is set at every heartbeat the worker sends over an
 * established link, so its age says how long ago the worker was last connected and working (the worker image's
 * HEALTHCHECK fails when it is older than a minute). Everything else goes on to the listener it wraps; a file that
 * cannot be written is said once, and the worker runs on.
 */
final class AliveFile implements AgentListener {

    private final Path file;
    private final AgentListener next;
    private final Clock clock;
    private volatile boolean failed;

    AliveFile(Path file, AgentListener next) {
        this(file, next, Clock.systemUTC());
    }

    AliveFile(Path file, AgentListener next, Clock clock) {
        this.file = file;
        this.next = next;
        this.clock = clock;
    }

    @Override
    public void heartbeatSent() {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, "alive\n");
            }
            Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
            failed = false;
        } catch (IOException | RuntimeException e) {
            if (!failed) {
                failed = true;
                next.problem("cannot update the liveness file " + file, e);
            }
        }
        next.heartbeatSent();
    }

    @Override
    public void connected(String endpoint, String workerId) {
        next.connected(endpoint, workerId);
    }

    @Override
    public void disconnected(String reason, long retryMillis) {
        next.disconnected(reason, retryMillis);
    }

    @Override
    public void status(String message) {
        next.status(message);
    }

    @Override
    public void problem(String message, Throwable cause) {
        next.problem(message, cause);
    }
}
