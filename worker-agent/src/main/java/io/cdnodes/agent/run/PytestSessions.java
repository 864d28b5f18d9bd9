package io.cdnodes.agent.run;

import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker's serving pytest processes ({@link PytestSession}): at most one per slot, each used by one
 * assignment at a time, kept between assignments so that the next one with the same {@link PytestSessionKey} skips
 * pytest's start-up and collection. A session ends when a slot needs room for another key, after {@code idle}
 * without a batch, or when the worker drains, stops or loses its coordinator. Keys whose project a session
 * could not serve are remembered, so that their assignments go straight to a fresh pytest. New sessions start
 * warm when they can ({@link #warmStarts()}, switched off with the sessions). Thread-safe.
 */
public final class PytestSessions {

    private static final System.Logger LOG = System.getLogger(PytestSessions.class.getName());
    private static final int REMEMBERED_UNSERVABLE = 256;
    /** After the start-up of a burst of pytests (a new project on every slot), which an interpreter would slow. */
    private static final Duration WARM_DELAY = Duration.ofSeconds(2);
    private static final Duration MIN_WARM_AGE = Duration.ofSeconds(10);

    private final int capacity;
    private final Duration idle;
    private final List<Entry> entries = new ArrayList<>();
    private final Set<PytestSessionKey> unservable = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PytestSessionKey, Boolean> eldest) {
            return size() > REMEMBERED_UNSERVABLE;
        }
    });
    private final AtomicLong ids = new AtomicLong();
    private final ScheduledExecutorService reaper;
    private final WarmStarts warm;
    /** Sessions being started: they count against the capacity before they are added. */
    private int starting;

    private static final class Entry {
        final PytestSession session;
        boolean busy = true;
        long idleSinceNanos;

        Entry(PytestSession session) {
            this.session = session;
        }
    }

    /**
     * @param slots at most this many sessions at once
     * @param idle  how long a session without a batch is kept; zero keeps none (every assignment starts pytest)
     */
    public PytestSessions(int slots, Duration idle) {
        this(slots, idle, WARM_DELAY);
    }

    /**
     * @param warmDelay how long after a session starts the interpreter for the next one is started ahead (see
     *                  {@link WarmStarts}); null for none
     */
    PytestSessions(int slots, Duration idle, Duration warmDelay) {
        this.capacity = Math.max(1, slots);
        this.idle = idle;
        if (idle.isZero() || idle.isNegative()) {
            reaper = null;
            warm = WarmStarts.none();
            return;
        }
        reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pytest-sessions");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(50, Math.min(1000, idle.toMillis() / 4));
        reaper.scheduleWithFixedDelay(this::reap, every, every, TimeUnit.MILLISECONDS);
        Duration warmAge = idle.multipliedBy(2).compareTo(MIN_WARM_AGE) < 0 ? MIN_WARM_AGE : idle.multipliedBy(2);
        warm = warmDelay == null ? WarmStarts.none()
                : new WarmStarts(capacity, warmDelay, warmAge, reaper, this::nextId);
    }

    /** PytestSessions switched off: every assignment runs in a fresh pytest. */
    public static PytestSessions none() {
        return new PytestSessions(1, Duration.ZERO);
    }

    boolean enabled() {
        return reaper != null;
    }

    /** How this worker's sessions are started: warm when an interpreter is ready for them. */
    WarmStarts warmStarts() {
        return warm;
    }

    /** The plugin's own limit: longer than ours, it only matters when the agent is hung or frozen. */
    long pluginIdleSeconds() {
        return idle.toSeconds() * 2 + 30;
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    synchronized boolean servable(PytestSessionKey key) {
        return !unservable.contains(key);
    }

    synchronized void markUnservable(PytestSessionKey key) {
        unservable.add(key);
    }

    /**
     * An idle session of {@code key} whose process still runs, now busy. Without one, room is made for a new
     * session (idle ones of other keys are closed, longest idle first) and reserved: the caller then
     * {@link #add}s the session it started, or {@link #abandon}s the reservation.
     */
    Optional<PytestSession> take(PytestSessionKey key) {
        List<PytestSession> closing = new ArrayList<>();
        Optional<PytestSession> found = Optional.empty();
        synchronized (this) {
            for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (!e.busy && !e.session.isAlive()) {
                    it.remove();
                    closing.add(e.session);
                } else if (!e.busy && found.isEmpty() && e.session.key().equals(key)) {
                    e.busy = true;
                    found = Optional.of(e.session);
                }
            }
            if (found.isEmpty()) {
                while (entries.size() + starting >= capacity) {
                    Entry oldest = entries.stream().filter(e -> !e.busy)
                            .min((a, b) -> Long.compare(a.idleSinceNanos - b.idleSinceNanos, 0)).orElse(null);
                    if (oldest == null) {
                        break; // cannot happen while each slot holds at most one session
                    }
                    entries.remove(oldest);
                    closing.add(oldest.session);
                }
                starting++;
            }
        }
        closing.forEach(s -> close(s, "its slot is needed for another project or options"));
        return found;
    }

    /** A session started after {@link #take} found none: busy, counted. */
    synchronized void add(PytestSession session) {
        starting--;
        entries.add(new Entry(session));
    }

    /** The session {@link #take} made room for could not be started. */
    synchronized void abandon() {
        starting--;
    }

    /** The assignment is done with the session: idle from now, until taken again or closed. */
    void release(PytestSession session) {
        synchronized (this) {
            for (Entry e : entries) {
                if (e.session == session) {
                    e.busy = false;
                    e.idleSinceNanos = System.nanoTime();
                    return;
                }
            }
        }
        // closed meanwhile (the worker lost its coordinator): make sure it is gone
        session.close();
    }

    /** Ends a session that cannot go on (killed, crashed, stopped, timed out). */
    void discard(PytestSession session, String why) {
        synchronized (this) {
            entries.removeIf(e -> e.session == session);
        }
        close(session, why);
    }

    /**
     * Starts interpreters ahead for the first sessions (the worker has just connected to its coordinator): for
     * projects with the worker's own Python and no variables of their own, which is most of them; others start cold
     * as before.
     */
    public void warmUp(RunSettings settings) {
        if (!enabled()) {
            return;
        }
        Assign plain = new Assign(0, 0, 0, 0, "0".repeat(64), AssignmentKind.RUN, List.of(), Map.of(), List.of(), 1);
        PytestLaunch launch = new PytestLaunch(plain, settings);
        launch.knownInterpreter().ifPresent(python -> warm.prepareAhead(
                launch.builder(python, settings.runsDir(), "serve", Map.of()), launch.shape(python),
                settings.sandbox(), settings.runsDir()));
    }

    /**
     * Closes every session not in use, and ends the interpreters waiting: the worker drains or lost its
     * coordinator.
     */
    public void closeIdle(String why) {
        List<PytestSession> closing = new ArrayList<>();
        synchronized (this) {
            entries.removeIf(e -> !e.busy && closing.add(e.session));
        }
        closing.forEach(s -> close(s, why));
        warm.endWaiting();
    }

    /** Closes every session, busy or not, and stops the idle timer. */
    public void shutdown() {
        if (reaper != null) {
            reaper.shutdownNow();
        }
        warm.shutdown();
        List<PytestSession> closing = new ArrayList<>();
        synchronized (this) {
            entries.forEach(e -> closing.add(e.session));
            entries.clear();
        }
        closing.forEach(s -> close(s, "the worker stops"));
    }

    /** PytestSessions alive now, busy or idle. */
    public synchronized int size() {
        return entries.size();
    }

    private void reap() {
        List<PytestSession> closing = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (this) {
            entries.removeIf(e -> !e.busy && (now - e.idleSinceNanos > idle.toNanos() || !e.session.isAlive())
                    && closing.add(e.session));
        }
        closing.forEach(s -> close(s, "no batch for " + idle.toMillis() + " ms, or its process ended"));
    }

    private static void close(PytestSession session, String why) {
        LOG.log(System.Logger.Level.INFO, "{0} ends: {1}", session, why);
        session.close();
    }
}
