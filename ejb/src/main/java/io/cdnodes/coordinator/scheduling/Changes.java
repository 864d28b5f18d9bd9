package io.cdnodes.coordinator.scheduling;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What one event has decided so far beyond the state itself (which the {@link Journal} tracks): results to record,
 * frames to send, views to wake, rounds to ask for. Made fresh for each event by the {@link Scheduler}.
 */
final class Changes {

    final List<Decisions.ResultRow> results = new ArrayList<>();
    /** Earlier attempts of tests that run again, to keep. */
    final List<Decisions.ResultRow> attempts = new ArrayList<>();
    final List<Decisions.Send> sends = new ArrayList<>();
    final List<Decisions.Backup> backups = new ArrayList<>();
    final Set<Long> changed = new LinkedHashSet<>();
    final Set<Long> finished = new LinkedHashSet<>();
    boolean roundSoon;
    private double lookIn = -1;

    void changed(long evaluationId) {
        changed.add(evaluationId);
    }

    void finished(long evaluationId) {
        finished.add(evaluationId);
        changed.add(evaluationId);
    }

    /** Asks for another dispatch round in {@code seconds} (the soonest asked for in this event counts). */
    void lookAgainIn(double seconds) {
        lookIn = lookIn < 0 ? seconds : Math.min(lookIn, seconds);
    }

    /** Asks for a dispatch round soon. */
    void roundSoon() {
        roundSoon = true;
    }

    void backupRunning(long taskId, String primary, String backup) {
        backups.add(new Decisions.Backup(taskId, primary, backup));
    }

    void backupEnded(long taskId) {
        backups.add(new Decisions.Backup(taskId, null, null));
    }

    OptionalLong roundInMillis() {
        return lookIn < 0 ? OptionalLong.empty() : OptionalLong.of(Math.max(1, Math.round(lookIn * 1000)));
    }
}
