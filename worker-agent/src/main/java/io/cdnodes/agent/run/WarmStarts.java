package io.cdnodes.agent.run;

import io.cdnodes.agent.packages.Folders;
import io.cdnodes.agent.sandbox.Sandbox;
import io.cdnodes.agent.sandbox.SandboxSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Warm starts of a pytest session's {@code python -m pytest}: about two thirds of a pytest's start-up is importing
 * pytest, the same for every start on the same interpreter and environment. Some time after each session start,
 * the interpreter for the next one is started ahead (a {@link WarmInterpreter}): the same interpreter and
 * environment ({@link WarmKey}), and already in the folder the next session's project will be copied to
 * ({@code <runs>/s<id>/project}, the id taken ahead), so that whatever the interpreter's start-up resolves against
 * its working directory ({@code site}, {@code .pth} hooks, relative {@code PYTHONPATH} entries) names the project
 * as a cold start's would.
 *
 * <p>This class is the pool: which interpreters wait, when the next is started, when they end. A new session
 * {@linkplain #claim claims} one for its key before its project is copied, and takes that folder; once the copy is
 * made, {@link #start} hands it the command ({@link WarmInterpreter#goOn}) when it runs it as a cold start would
 * ({@link WarmReadiness#sameAsCold}), else starts cold (a new process, in the same folder). Either way it is the
 * process the agent started, so output bounds, time limits and kills apply as to any other. What stays different
 * from a cold start: the process's command line and environment as the kernel shows them
 * ({@code /proc/self/cmdline} shows {@code python -c ...}, {@code /proc/self/environ} lacks the plugin's variables),
 * its start time, one more frame ({@code <string>}) at the bottom of every stack (an INTERNALERROR traceback shows
 * it), and start-up hooks ({@code .pth} lines) that read files in the project's folder, which is empty when they
 * run.
 *
 * <p>On a sandboxed worker, the interpreter starts in the sandbox its session will have (the same shape: read-only
 * folders and network; its folder {@code <runs>/s<id>} writable), which stays the session's: the project is copied
 * into that folder, which is never replaced, only emptied (a sandbox sees the folder it was started with).
 *
 * <p>At most {@code capacity} interpreters wait, each for at most {@code maxAge} (they also end when the worker
 * drains, loses its coordinator or stops). Thread-safe.
 */
public final class WarmStarts {

    private static final System.Logger LOG = System.getLogger(WarmStarts.class.getName());
    static final String BOOTSTRAP = "cdnodes_warm_start.py";
    /** How long after {@link #prepareAhead} its interpreters start. */
    static final Duration AHEAD_DELAY = Duration.ofSeconds(1);

    private final int capacity;
    private final Duration delay;
    private final Duration maxAge;
    private final ScheduledExecutorService timer;
    private final LongSupplier ids;
    private final String bootstrap;
    private final List<WarmInterpreter> waiting = new ArrayList<>();
    private int pending;
    /** Starts scheduled and not run yet (counted in {@link #pending}). */
    private final List<Prepare> scheduled = new ArrayList<>();
    /** Sessions whose start-up is not over yet ({@link #sessionStarting()}). */
    private int starting;
    /** Counts {@link #endWaiting()}s: a start prepared before one is not made after it. */
    private long generation;
    private boolean closed;

    /**
     * A process started for a pytest session.
     *
     * @param warm whether it was an interpreter started ahead
     */
    record Started(Process process, boolean warm) {
    }

    /**
     * @param capacity at most this many interpreters wait at once (the worker's slots)
     * @param delay    how long after a session start the interpreter for the next one is started (after the
     *                 start-up of a burst of sessions, which it would otherwise slow down)
     * @param maxAge   how long an interpreter waits before it is ended
     * @param timer    runs the delayed starts and the expiry; shared with the caller, not shut down here
     * @param ids      session ids, shared with the sessions
     */
    WarmStarts(int capacity, Duration delay, Duration maxAge, ScheduledExecutorService timer, LongSupplier ids) {
        this.capacity = capacity;
        this.delay = delay;
        this.maxAge = maxAge;
        this.timer = timer;
        this.ids = ids;
        this.bootstrap = timer == null ? null : resource(BOOTSTRAP);
        if (timer != null) {
            long every = Math.max(100, Math.min(5000, maxAge.toMillis() / 4));
            timer.scheduleWithFixedDelay(this::expire, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** No warm starts: every start is cold. */
    static WarmStarts none() {
        return new WarmStarts(0, Duration.ZERO, Duration.ZERO, null, () -> 0);
    }

    /**
     * A waiting interpreter for a start like {@code like} (its command and environment; folder and plugin
     * variables do not matter) in a sandbox of that shape, or null; either way one is prepared for the next start
     * like it, in {@code runs}, through {@code sandbox}.
     */
    WarmInterpreter claim(ProcessBuilder like, SandboxSpec.Shape shape, Sandbox sandbox, Path runs) {
        WarmKey key = WarmKey.of(like, shape);
        if (key == null || timer == null) {
            return null;
        }
        List<WarmInterpreter> ending = new ArrayList<>();
        WarmInterpreter found = null;
        synchronized (this) {
            for (Iterator<WarmInterpreter> it = waiting.iterator(); it.hasNext(); ) {
                WarmInterpreter w = it.next();
                if (!w.isAlive()) {
                    it.remove();
                    ending.add(w);
                } else if (found == null && w.key().equals(key) && w.ready()) {
                    it.remove();
                    found = w;
                }
            }
        }
        ending.forEach(WarmInterpreter::end);
        // counted without the one just taken
        schedulePrepare(key, sandbox, runs);
        if (found != null) {
            try {
                // read now: the session's copy of the project replaces the folder
                found.takeReadiness();
            } catch (IOException | RuntimeException e) {
                found.end();
                return null;
            }
        }
        return found;
    }

    /**
     * Starts {@code pb} in a sandbox as {@code spec} says: in the claimed interpreter when it runs {@code pb} as a cold
     * start would, else cold (the claimed one is then ended).
     */
    Started start(ProcessBuilder pb, SandboxSpec spec, Sandbox sandbox, WarmInterpreter claim) throws IOException {
        if (claim != null) {
            try {
                if (claim.serves(pb, spec.shape())) {
                    // the project copied since is given to the sandbox's user, as a cold start's would be
                    sandbox.prepare(spec);
                    claim.goOn(pb);
                    return new Started(claim.process(), true);
                }
            } catch (IOException | RuntimeException e) {
                // it ended meanwhile, or its readiness cannot be read: a cold start does the run
                LOG.log(System.Logger.Level.DEBUG, "warm start not taken: {0}", e.toString());
            }
            claim.abandon();
        }
        return new Started(sandbox.wrap(pb, spec).start(), false);
    }

    /** Whether an interpreter for a start like {@code like}, in a sandbox of that shape, is waiting and ready. */
    synchronized boolean readyFor(ProcessBuilder like, SandboxSpec.Shape shape) {
        WarmKey key = WarmKey.of(like, shape);
        return waiting.stream().anyMatch(w -> w.key().equals(key) && w.ready());
    }

    /** How many interpreters wait ready now. */
    synchronized int readyCount() {
        return (int) waiting.stream().filter(WarmInterpreter::ready).count();
    }

    /** The processes of the interpreters waiting now. */
    synchronized List<Process> waiting() {
        return waiting.stream().map(WarmInterpreter::process).toList();
    }

    /** Ends the interpreters waiting now (the worker drains or lost its coordinator). */
    void endWaiting() {
        List<WarmInterpreter> ending;
        synchronized (this) {
            generation++;
            ending = new ArrayList<>(waiting);
            waiting.clear();
        }
        ending.forEach(WarmInterpreter::end);
    }

    /** Ends every waiting interpreter; none is started after this. */
    void shutdown() {
        synchronized (this) {
            closed = true;
        }
        endWaiting();
    }

    /**
     * A new session is starting; the returned action says its start-up is over (it has collected, or it ended
     * first). Once every session starting has said so, the interpreters due to be started after them are started
     * at once rather than when their delay runs out (a small project's session is often over before that, and its
     * successor would start cold), without competing with a burst of starts still under way. The action runs its
     * effect once, however often it is called.
     */
    Runnable sessionStarting() {
        synchronized (this) {
            starting++;
        }
        AtomicBoolean over = new AtomicBoolean();
        return () -> {
            if (over.compareAndSet(false, true)) {
                startUpOver();
            }
        };
    }

    private void startUpOver() {
        List<Prepare> due;
        synchronized (this) {
            starting--;
            if (starting > 0) {
                return;
            }
            due = new ArrayList<>(scheduled);
        }
        for (Prepare p : due) {
            try {
                timer.execute(p);
            } catch (RejectedExecutionException e) {
                return; // the worker stops: the scheduled run is refused too, or already ran
            }
        }
    }

    /** A start of an interpreter ahead, scheduled; runs once, at its delay or when start-ups are over. */
    private final class Prepare implements Runnable {
        private final WarmKey key;
        private final Sandbox sandbox;
        private final Path runs;
        private final long generation;
        private final AtomicBoolean taken = new AtomicBoolean();

        Prepare(WarmKey key, Sandbox sandbox, Path runs, long generation) {
            this.key = key;
            this.sandbox = sandbox;
            this.runs = runs;
            this.generation = generation;
        }

        @Override
        public void run() {
            if (taken.compareAndSet(false, true)) {
                synchronized (WarmStarts.this) {
                    scheduled.remove(this);
                }
                prepare(key, sandbox, runs, generation);
            }
        }
    }

    /**
     * Starts interpreters for starts like {@code like}, up to the capacity, without waiting for a session: the worker
     * has just connected, and the first project's sessions would otherwise all start cold. After a second, so that a
     * connection that keeps dropping (each drop ends what waits) does not cost an interpreter start each time.
     */
    void prepareAhead(ProcessBuilder like, SandboxSpec.Shape shape, Sandbox sandbox, Path runs) {
        WarmKey key = WarmKey.of(like, shape);
        if (key == null || timer == null) {
            return;
        }
        for (int i = 0; i < capacity; i++) {
            schedulePrepare(key, sandbox, runs, AHEAD_DELAY.toMillis());
        }
    }

    private void schedulePrepare(WarmKey key, Sandbox sandbox, Path runs) {
        schedulePrepare(key, sandbox, runs, delay.toMillis());
    }

    private void schedulePrepare(WarmKey key, Sandbox sandbox, Path runs, long delayMillis) {
        Prepare p;
        synchronized (this) {
            long alike = waiting.stream().filter(w -> w.key().equals(key)).count();
            if (closed || alike + pending >= capacity) {
                return;
            }
            pending++;
            p = new Prepare(key, sandbox, runs, generation);
            scheduled.add(p);
        }
        try {
            timer.schedule(p, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the worker stops; unless the start ran meanwhile (and counted itself off)
            if (p.taken.compareAndSet(false, true)) {
                synchronized (this) {
                    pending--;
                    scheduled.remove(p);
                }
            }
        }
    }

    private void prepare(WarmKey key, Sandbox sandbox, Path runs, long scheduledIn) {
        synchronized (this) {
            if (closed || generation != scheduledIn) {
                pending--;
                return;
            }
        }
        long id = ids.getAsLong();
        Path dir = runs.resolve("s" + id);
        WarmInterpreter started = null;
        try {
            started = WarmInterpreter.start(key, id, dir, sandbox, bootstrap);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "no warm start prepared: {0}", e.toString());
            Folders.deleteQuietly(dir);
        } finally {
            synchronized (this) {
                pending--;
            }
        }
        if (started != null) {
            keep(started, scheduledIn);
        }
    }

    /**
     * Adds an interpreter to those waiting, ending the oldest beyond the capacity (or it, once shut down or when
     * the waiting were ended while it started).
     */
    private void keep(WarmInterpreter w, long startedIn) {
        List<WarmInterpreter> ending = new ArrayList<>();
        synchronized (this) {
            if (closed || generation != startedIn) {
                ending.add(w);
            } else {
                waiting.add(w);
                waiting.sort(Comparator.comparingLong(WarmInterpreter::startedNanos));
                while (waiting.size() > capacity) {
                    ending.add(waiting.remove(0));
                }
            }
        }
        ending.forEach(WarmInterpreter::end);
    }

    private void expire() {
        long now = System.nanoTime();
        List<WarmInterpreter> ending = new ArrayList<>();
        synchronized (this) {
            waiting.removeIf(w -> (now - w.startedNanos() > maxAge.toNanos() || !w.isAlive())
                    && ending.add(w));
        }
        ending.forEach(WarmInterpreter::end);
    }

    private static String resource(String name) {
        try (InputStream in = WarmStarts.class.getResourceAsStream("/io/cdnodes/agent/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
