package io.cdnodes.coordinator.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The connected workers and what the coordinator knows of each. Decisions about them that need a clock take
 * the time as an argument. Changes are kept in the {@link Journal}, so that a rolled-back event leaves the pool as
 * it was. Not thread-safe: owned by the {@link Scheduler}.
 */
public final class WorkerPool {

    /** One connected worker. Mutable, owned by the pool. */
    public static final class Worker {
        private final String connectionId;
        private final String name;
        private final String remoteAddress;
        private final String localAddress;
        private final int slots;
        private final Set<String> packages;
        /** The assignments (task ids) handed to this connection and not finished, with the attempt of each. */
        private final Map<Long, Integer> assigned = new LinkedHashMap<>();
        private Instant lastSeen;
        private boolean draining;
        private final Journal journal;

        Worker(WorkerJoined c, Instant now, Journal journal) {
            this.journal = journal;
            this.connectionId = c.connectionId();
            this.name = c.name();
            this.remoteAddress = c.remoteAddress();
            this.localAddress = c.localAddress();
            this.slots = Math.max(1, c.slots());
            this.packages = new LinkedHashSet<>(c.cachedPackages());
            this.lastSeen = now;
        }

        public String connectionId() {
            return connectionId;
        }

        public String name() {
            return name;
        }

        public String remoteAddress() {
            return remoteAddress;
        }

        public String localAddress() {
            return localAddress;
        }

        public int slots() {
            return slots;
        }

        public Instant lastSeen() {
            return lastSeen;
        }

        public boolean draining() {
            return draining;
        }

        public int freeSlots() {
            return draining ? 0 : Math.max(0, slots - assigned.size());
        }

        /**
         * Room for assignments queued behind the running ones: one per slot, so that a slot starts its next batch
         * the moment it ends one instead of waiting for a round trip to the coordinator.
         */
        public int queueRoom() {
            return draining ? 0 : Math.max(0, 2 * slots - Math.max(slots, assigned.size()));
        }

        /** The task ids handed to this connection and not finished. */
        public Set<Long> running() {
            return Collections.unmodifiableSet(assigned.keySet());
        }

        /** This attempt of the task was handed to this connection. */
        public void assign(long taskId, int attempt) {
            journal.keep(assigned);
            assigned.put(taskId, attempt);
        }

        /**
         * Whether a frame naming this assignment and attempt may come from this connection: it was handed that very
         * attempt and has not finished it. Frames of other connections' work, or of attempts not (or no longer) this
         * connection's, are forgeries or stale, and must change nothing.
         */
        public boolean isAssigned(long taskId, int attempt) {
            Integer a = assigned.get(taskId);
            return a != null && a == attempt;
        }

        /**
         * The assignment ended (ASSIGNMENT_DONE): its slot is free again.
         *
         * @return false, freeing nothing, when this connection does not hold that attempt of the task
         */
        public boolean finish(long taskId, int attempt) {
            journal.keep(assigned);
            return assigned.remove(taskId, attempt);
        }

        public boolean holds(String packageId) {
            return packages.contains(packageId);
        }

        /** Records that a package was sent (or announced); a refused transfer is forgotten again. */
        public void holdsNow(String packageId) {
            journal.keep(packages);
            packages.add(packageId);
        }

        public void forget(String packageId) {
            journal.keep(packages);
            packages.remove(packageId);
        }

        public void drain() {
            keep();
            draining = true;
        }

        private void keep() {
            if (journal.has(this)) {
                return;
            }
            boolean wasDraining = draining;
            Instant wasSeen = lastSeen;
            journal.keep(this, () -> {
                draining = wasDraining;
                lastSeen = wasSeen;
            });
        }
    }

    private final Map<String, Worker> workers = new LinkedHashMap<>();
    private int cursor;
    private final Journal journal;

    WorkerPool(Journal journal) {
        this.journal = journal;
    }

    public Worker add(WorkerJoined c, Instant now) {
        Worker w = new Worker(c, now, journal);
        journal.keep(workers);
        workers.put(c.connectionId(), w);
        return w;
    }

    public Optional<Worker> remove(String connectionId) {
        journal.keep(workers);
        return Optional.ofNullable(workers.remove(connectionId));
    }

    public Optional<Worker> get(String connectionId) {
        return Optional.ofNullable(workers.get(connectionId));
    }

    /** Notes a sign of life. */
    public void touch(String connectionId, Instant now) {
        Worker w = workers.get(connectionId);
        if (w != null && now.isAfter(w.lastSeen)) {
            w.keep();
            w.lastSeen = now;
        }
    }

    public boolean isConnected(String workerName) {
        return workers.values().stream().anyMatch(w -> w.name.equals(workerName));
    }

    /** Connected and not draining: it may be given work. */
    public boolean isAvailable(String workerName) {
        return workers.values().stream().anyMatch(w -> w.name.equals(workerName) && !w.draining);
    }

    /** The connected worker with this name (the newest connection, should a name be reused). */
    public Optional<Worker> byName(String workerName) {
        Worker found = null;
        for (Worker w : workers.values()) {
            if (w.name.equals(workerName)) {
                found = w;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Slots of the workers that can take work. */
    public int activeSlots() {
        return workers.values().stream().filter(w -> !w.draining).mapToInt(Worker::slots).sum();
    }

    public int size() {
        return workers.size();
    }

    /** Workers in the order they connected. */
    public List<Worker> all() {
        return List.copyOf(workers.values());
    }

    /** Names of the workers that can take work, in the order they connected. */
    public List<String> activeNames() {
        return workers.values().stream().filter(w -> !w.draining).map(Worker::name).distinct().toList();
    }

    /**
     * The workers in rotation order, starting after the one served first last time, so that successive
     * dispatch rounds do not always favour the same worker.
     */
    public List<Worker> rotation() {
        List<Worker> list = new ArrayList<>(workers.values());
        if (list.isEmpty()) {
            return list;
        }
        int was = cursor;
        journal.keep(this, () -> cursor = was);
        int start = Math.floorMod(cursor++, list.size());
        List<Worker> out = new ArrayList<>(list.subList(start, list.size()));
        out.addAll(list.subList(0, start));
        return out;
    }

    /** Connection ids of the workers not heard from for at least {@code timeout}. */
    public List<String> silent(Instant now, Duration timeout) {
        return workers.values().stream()
                .filter(w -> !Duration.between(w.lastSeen, now).minus(timeout).isNegative())
                .map(Worker::connectionId).toList();
    }
}
