package io.cdnodes.coordinator.dispatch;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who backs up whom right now: for each running task, the connection running it and the connection of its
 * backup worker (which holds the package already). Written by the dispatcher, read by {@code /network}
 * without taking the dispatcher's lock. Thread-safe.
 */
@ApplicationScoped
public class BackupPairs {

    /** A running task's worker connection and its backup's. */
    public record Pair(String primary, String backup) {
    }

    private final Map<Long, Pair> byTask = new ConcurrentHashMap<>();

    public void running(long taskId, String primaryConnection, String backupConnection) {
        if (backupConnection == null) {
            byTask.remove(taskId);
        } else {
            byTask.put(taskId, new Pair(primaryConnection, backupConnection));
        }
    }

    public void ended(long taskId) {
        byTask.remove(taskId);
    }

    public List<Pair> pairs() {
        return byTask.values().stream().distinct().toList();
    }
}
