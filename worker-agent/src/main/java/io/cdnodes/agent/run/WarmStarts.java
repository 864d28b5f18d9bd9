package io.cdnodes.agent.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdnodes.agent.packages.Folders;
import io.cdnodes.agent.process.Subprocess;
import io.cdnodes.agent.sandbox.Sandbox;
import io.cdnodes.agent.sandbox.SandboxSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Warm starts of a session's {@code python -m pytest}: about two thirds of a pytest's start-up is importing
 * pytest, the same for every start on the same interpreter and environment. Some time after each session start,
 * the interpreter for the next one is started ahead ({@code cdnodes_warm_start.py} with {@code -c}): the same
 * interpreter and environment, and already in the folder the next session's project will be copied to
 * ({@code <runs>/s<id>/project}, the id taken ahead), so that whatever the interpreter's start-up resolves against
 * its working directory ({@code site}, {@code .pth} hooks, relative {@code PYTHONPATH} entries) names the project
 * as a cold start's would. It imports pytest, writes what it imported and the modification times of its
 * {@code sys.path} folders ({@code <runs>/s<id>/warm-ready.json}) and waits on its standard input.
 *
 * <p>A new session {@linkplain #claim claims} one for its key before its project is copied, and takes that folder;
 * once the copy is made, {@link #start} writes one JSON line (the working directory, the plugin's {@code CDNODES_*}
 * variables, pytest's arguments) and the process goes on as {@code python -m pytest ARGS} started there would
 * ({@code runpy}'s own {@code -m} path: the same {@code sys.path}, {@code sys.argv}, {@code sys.orig_argv},
 * {@code __main__}, environment, standard input). It is the process the agent started, so output bounds, time
 * limits and kills apply as to any other. The start is cold instead (a new process, in the same folder) whenever
 * the warm one could differ: a file or folder in the project's root named like a module the interpreter already
 * imported (a {@code json.py}, a {@code pytest/}: a cold start would import that instead), or a
 * {@code sitecustomize}/{@code usercustomize}, there or in a {@code sys.path} folder inside the project (a relative
 * {@code PYTHONPATH} entry such as {@code src}, empty while the interpreter started); a {@code sys.path} folder
 * outside the project changed since, or one that did not exist then and does now (a package installed or
 * removed); or arguments, folder or plugin variables that are not plain ASCII (a command line is decoded by the
 * locale, the JSON line is not). What stays different: the process's command line and environment as the kernel
 * shows them ({@code /proc/self/cmdline} shows {@code python -c ...}, {@code /proc/self/environ} lacks the
 * plugin's variables), its start time, one more frame ({@code <string>}) at the bottom of every stack (an
 * INTERNALERROR traceback shows it), and start-up hooks ({@code .pth} lines) that read files in the project's
 * folder, which is empty when they run.
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
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "CDNODES_";
    static final String BOOTSTRAP = "cdnodes_warm_start.py";
    static final String READY = "warm-ready.json";

    private final int capacity;
    private final Duration delay;
    private final Duration maxAge;
    private final ScheduledExecutorService timer;
    private final LongSupplier ids;
    private final String bootstrap;
    private final List<Claim> waiting = new ArrayList<>();
    private int pending;
    /** Counts {@link #endWaiting()}s: a start prepared before one is not made after it. */
    private long generation;
    private boolean closed;

    /**
     * What a warm interpreter must have been started with: the interpreter, its whole environment, and the shape of
     * its sandbox.
     */
    record Key(String python, Map<String, String> environment, SandboxSpec.Shape sandbox) {
    }

    /**
     * A process started for a session.
     *
     * @param warm whether it was an interpreter started ahead
     */
    record Started(Process process, boolean warm) {
    }

    /** A waiting interpreter: its session id and folder, taken by the session that claims it. */
    static final class Claim {
        private final Key key;
        private final long id;
        private final Path dir;
        private final Process process;
        private final long startedNanos;
        private Readiness readiness;

        private Claim(Key key, long id, Path dir, Process process) {
            this.key = key;
            this.id = id;
            this.dir = dir;
            this.process = process;
            this.startedNanos = System.nanoTime();
        }

        /** The session id, whose folder ({@code <runs>/s<id>}) the interpreter waits in. */
        long id() {
            return id;
        }

        Path project() {
            return dir.resolve("project");
        }

        /** Whether it has imported what it imports and waits for its line. */
        private boolean ready() {
            return process.isAlive() && Files.exists(dir.resolve(READY));
        }

        /** Ends the interpreter unused; the folder is the session's. */
        void abandon() {
            Subprocess.kill(process);
        }
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
    Claim claim(ProcessBuilder like, SandboxSpec.Shape shape, Sandbox sandbox, Path runs) {
        Key key = keyOf(like, shape);
        if (key == null || timer == null) {
            return null;
        }
        List<Claim> ending = new ArrayList<>();
        Claim found = null;
        synchronized (this) {
            for (Iterator<Claim> it = waiting.iterator(); it.hasNext(); ) {
                Claim w = it.next();
                if (!w.process.isAlive()) {
                    it.remove();
                    ending.add(w);
                } else if (found == null && w.key.equals(key) && w.ready()) {
                    it.remove();
                    found = w;
                }
            }
        }
        ending.forEach(WarmStarts::end);
        // counted without the one just taken
        schedulePrepare(key, sandbox, runs);
        if (found != null) {
            try {
                // read now: the session's copy of the project replaces the folder
                found.readiness = readiness(found.dir.resolve(READY));
            } catch (IOException | RuntimeException e) {
                end(found);
                return null;
            }
        }
        return found;
    }

    /**
     * Starts {@code pb} in a sandbox as {@code spec} says: in the claimed interpreter when it runs {@code pb} as a cold
     * start would, else cold (the claimed one is then ended).
     */
    Started start(ProcessBuilder pb, SandboxSpec spec, Sandbox sandbox, Claim claim) throws IOException {
        if (claim != null) {
            try {
                if (pb.directory() != null && pb.directory().toPath().equals(claim.project())
                        && claim.key.equals(keyOf(pb, spec.shape())) && sameAsCold(pb, claim.readiness)) {
                    // the project copied since is given to the sandbox's user, as a cold start's would be
                    sandbox.prepare(spec);
                    go(claim.process, pb);
                    return new Started(claim.process, true);
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
        Key key = keyOf(like, shape);
        return waiting.stream().anyMatch(w -> w.key.equals(key) && w.ready());
    }

    /** How many interpreters wait ready now. */
    synchronized int readyCount() {
        return (int) waiting.stream().filter(Claim::ready).count();
    }

    /** The processes of the interpreters waiting now. */
    synchronized List<Process> waiting() {
        return waiting.stream().map(w -> w.process).toList();
    }

    /** Ends the interpreters waiting now (the worker drains or lost its coordinator). */
    void endWaiting() {
        List<Claim> ending;
        synchronized (this) {
            generation++;
            ending = new ArrayList<>(waiting);
            waiting.clear();
        }
        ending.forEach(WarmStarts::end);
    }

    /** Ends every waiting interpreter; none is started after this. */
    void shutdown() {
        synchronized (this) {
            closed = true;
        }
        endWaiting();
    }

    /** The key of a {@code python -m pytest ...} command, or null for another command. */
    static Key keyOf(ProcessBuilder pb, SandboxSpec.Shape shape) {
        List<String> cmd = pb.command();
        if (cmd.size() < 3 || !cmd.get(1).equals("-m") || !cmd.get(2).equals("pytest") || !pb.redirectErrorStream()) {
            return null;
        }
        return new Key(cmd.get(0), environment(pb, false), shape);
    }

    /** {@code pb}'s plugin variables ({@code CDNODES_*}), or all its other variables. */
    private static Map<String, String> environment(ProcessBuilder pb, boolean plugin) {
        Map<String, String> env = new TreeMap<>();
        pb.environment().forEach((k, v) -> {
            if (k.startsWith(PREFIX) == plugin) {
                env.put(k, v);
            }
        });
        return env;
    }

    /** What the interpreter wrote once it was ready. */
    record Readiness(Set<String> modules, Map<String, Long> pathTimes) {
    }

    private static Readiness readiness(Path file) throws IOException {
        JsonNode ready = JSON.readTree(file.toFile());
        Set<String> modules = new HashSet<>();
        ready.path("modules").forEach(m -> modules.add(m.asText()));
        Map<String, Long> times = new LinkedHashMap<>();
        ready.path("paths").fields().forEachRemaining(e -> times.put(e.getKey(), e.getValue().asLong()));
        return new Readiness(modules, times);
    }

    /** Whether an interpreter that was ready as {@code ready} runs {@code pb} as a cold start would. */
    static boolean sameAsCold(ProcessBuilder pb, Readiness ready) throws IOException {
        if (!ascii(pb.directory().getAbsolutePath()) || !pb.command().stream().allMatch(WarmStarts::ascii)
                || !environment(pb, true).entrySet().stream().allMatch(e -> ascii(e.getKey()) && ascii(e.getValue()))) {
            return false;
        }
        Path project = pb.directory().toPath().toAbsolutePath().normalize();
        // the project's own folder comes first on a cold start's sys.path
        List<Path> inProject = new ArrayList<>(List.of(project));
        for (Map.Entry<String, Long> e : ready.pathTimes().entrySet()) {
            Path p = Path.of(e.getKey()).toAbsolutePath().normalize();
            if (p.startsWith(project)) {
                // empty while the interpreter started (a relative PYTHONPATH entry such as src): what the copy put
                // there would have been found by a cold start's imports and start-up
                inProject.add(p);
            } else if (e.getValue() < 0 ? Files.exists(p) : !Files.isDirectory(p)
                    || Files.getLastModifiedTime(p).to(TimeUnit.NANOSECONDS) != e.getValue()) {
                return false;
            }
        }
        for (Path dir : inProject) {
            if (Files.isDirectory(dir) && shadows(dir, ready.modules())) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code dir} holds a file or folder named like an imported module, or a site customization. */
    private static boolean shadows(Path dir, Set<String> imported) throws IOException {
        try (var names = Files.list(dir)) {
            return names.map(p -> p.getFileName().toString())
                    .map(name -> name.indexOf('.') < 0 ? name : name.substring(0, name.indexOf('.')))
                    .anyMatch(name -> imported.contains(name) || name.equals("sitecustomize")
                            || name.equals("usercustomize"));
        }
    }

    private static void go(Process p, ProcessBuilder pb) throws IOException {
        List<String> cmd = pb.command();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("cwd", pb.directory().getAbsolutePath());
        line.put("env", environment(pb, true));
        line.put("args", cmd.subList(3, cmd.size()));
        OutputStream in = p.getOutputStream();
        in.write(JSON.writeValueAsBytes(line));
        in.write('\n');
        in.close();
    }

    private void schedulePrepare(Key key, Sandbox sandbox, Path runs) {
        long current;
        synchronized (this) {
            long alike = waiting.stream().filter(w -> w.key.equals(key)).count();
            if (closed || alike + pending >= capacity) {
                return;
            }
            pending++;
            current = generation;
        }
        try {
            timer.schedule(() -> prepare(key, sandbox, runs, current), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                pending--; // the worker stops
            }
        }
    }

    private void prepare(Key key, Sandbox sandbox, Path runs, long scheduledIn) {
        synchronized (this) {
            if (closed || generation != scheduledIn) {
                pending--;
                return;
            }
        }
        long id = ids.getAsLong();
        Path dir = runs.resolve("s" + id);
        Claim started = null;
        try {
            Files.createDirectories(dir.resolve("project"));
            ProcessBuilder pb = new ProcessBuilder(key.python(), "-c", bootstrap, dir.resolve(READY).toString())
                    .directory(dir.resolve("project").toFile()).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(key.environment());
            started = new Claim(key, id, dir, sandbox.wrap(pb, SandboxSpec.forRun(dir, key.sandbox())).start());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "no warm start prepared: {0}", e.toString());
            Folders.deleteQuietly(dir);
        } finally {
            synchronized (this) {
                pending--;
            }
        }
        if (started != null) {
            keep(started);
        }
    }

    /** Adds an interpreter to those waiting, ending the oldest beyond the capacity (or it, once shut down). */
    private void keep(Claim w) {
        List<Claim> ending = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                ending.add(w);
            } else {
                waiting.add(w);
                waiting.sort(Comparator.comparingLong(c -> c.startedNanos));
                while (waiting.size() > capacity) {
                    ending.add(waiting.remove(0));
                }
            }
        }
        ending.forEach(WarmStarts::end);
    }

    private void expire() {
        long now = System.nanoTime();
        List<Claim> ending = new ArrayList<>();
        synchronized (this) {
            waiting.removeIf(w -> (now - w.startedNanos > maxAge.toNanos() || !w.process.isAlive())
                    && ending.add(w));
        }
        ending.forEach(WarmStarts::end);
    }

    /** Ends an interpreter nobody claimed, and deletes its folder once it is gone (without waiting for that). */
    private static void end(Claim w) {
        Subprocess.kill(w.process);
        w.process.onExit().thenRun(() -> Folders.deleteQuietly(w.dir));
    }

    private static boolean ascii(String s) {
        return s.chars().allMatch(c -> c > 0 && c < 128);
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
