package io.cdnodes.agent.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdnodes.agent.packages.Folders;
import io.cdnodes.agent.process.Subprocess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Warm starts of {@code python -m pytest}: about two thirds of a pytest's start-up is importing pytest, the same
 * for every run on the same interpreter and environment. Some time after each start, an interpreter for the next
 * one is started ahead ({@code cdnodes_warm_start.py}: the same interpreter and environment, pytest imported,
 * waiting on its standard input). A start whose interpreter and environment match one that is ready takes it: the
 * agent writes the working directory, the plugin's {@code CDNODES_*} variables and pytest's arguments, and the
 * process goes on as {@code python -m pytest ARGS} started in that directory would (the same {@code sys.path},
 * {@code sys.argv}, {@code sys.orig_argv}, {@code __main__}, environment). The process is the one the agent
 * started, so its output, time limit and kill are handled as for any other.
 *
 * <p>A start is cold (a new process, as before) when nothing ready matches, and also whenever a warm one could
 * differ from it: a name in the project's root that a cold start would import instead of a module the warm one
 * already imported (a {@code json.py}, a {@code pytest/} folder), a relative {@code PYTHONPATH} entry (made
 * absolute against the directory the interpreter started in), or arguments, working directory or plugin
 * variables that are not plain ASCII (decoded from the command line by the locale, not by JSON). At most
 * {@code capacity} interpreters wait, each for at most {@code maxAge} (so that one never runs a pytest installed
 * since). Thread-safe.
 */
public final class WarmStarts {

    private static final System.Logger LOG = System.getLogger(WarmStarts.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "CDNODES_";
    static final String BOOTSTRAP = "cdnodes_warm_start.py";

    private final int capacity;
    private final Duration delay;
    private final Duration maxAge;
    private final ScheduledExecutorService timer;
    private final String bootstrap;
    private final List<Waiting> waiting = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private boolean closed;

    /** What a warm interpreter must have been started with: the interpreter and its whole environment. */
    record Key(String python, Map<String, String> environment) {
    }

    /**
     * A process started for a run.
     *
     * @param warm whether it was an interpreter started ahead
     */
    public record Started(Process process, boolean warm) {
    }

    /** Starts a process: {@link #start(ProcessBuilder, Path)} with its folder bound. */
    @FunctionalInterface
    interface IOStarter {
        Started start(ProcessBuilder pb) throws IOException;
    }

    private record Waiting(Key key, Process process, Path dir, long startedNanos) {
    }

    /**
     * @param capacity at most this many interpreters wait at once (the worker's slots)
     * @param delay    how long after a start the interpreter for the next one is started (after the start-up of
     *                 a burst of pytests, which it would otherwise slow down)
     * @param maxAge   how long an interpreter waits before it is ended
     * @param timer    runs the delayed starts and the expiry; shared with the caller, not shut down here
     */
    WarmStarts(int capacity, Duration delay, Duration maxAge, ScheduledExecutorService timer) {
        this.capacity = capacity;
        this.delay = delay;
        this.maxAge = maxAge;
        this.timer = timer;
        this.bootstrap = timer == null ? null : resource(BOOTSTRAP);
        if (timer != null) {
            long every = Math.max(100, Math.min(5000, maxAge.toMillis() / 4));
            timer.scheduleWithFixedDelay(this::expire, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** No warm starts: every start is cold. */
    static WarmStarts none() {
        return new WarmStarts(0, Duration.ZERO, Duration.ZERO, null);
    }

    /**
     * Starts {@code pb}'s command, warm when an interpreter for it is ready, and prepares one for the next start
     * like it (in {@code workDir}, after the delay).
     */
    public Started start(ProcessBuilder pb, Path workDir) throws IOException {
        Key key = keyOf(pb);
        if (key == null || timer == null) {
            return new Started(pb.start(), false);
        }
        schedulePrepare(key, workDir);
        Waiting w = take(key, pb);
        if (w != null) {
            try {
                go(w, pb);
                return new Started(w.process(), true);
            } catch (IOException e) {
                // it ended meanwhile: a cold start does the run
                Subprocess.kill(w.process());
            } finally {
                Folders.deleteQuietly(w.dir());
            }
        }
        return new Started(pb.start(), false);
    }

    /** Whether an interpreter for a start like {@code pb} is waiting and ready. */
    synchronized boolean readyFor(ProcessBuilder pb) {
        Key key = keyOf(pb);
        return waiting.stream().anyMatch(w -> w.key().equals(key) && w.process().isAlive()
                && Files.exists(w.dir().resolve("modules")));
    }

    /** Interpreters waiting now. */
    synchronized int waiting() {
        return waiting.size();
    }

    /** Ends every waiting interpreter; none is started after this. */
    public void shutdown() {
        List<Waiting> ending;
        synchronized (this) {
            closed = true;
            ending = new ArrayList<>(waiting);
            waiting.clear();
        }
        ending.forEach(WarmStarts::end);
    }

    /** The key of a {@code python -m pytest ...} command, or null for another command. */
    static Key keyOf(ProcessBuilder pb) {
        List<String> cmd = pb.command();
        if (cmd.size() < 3 || !cmd.get(1).equals("-m") || !cmd.get(2).equals("pytest") || pb.directory() == null
                || !pb.redirectErrorStream()) {
            return null;
        }
        Map<String, String> env = new TreeMap<>();
        pb.environment().forEach((k, v) -> {
            if (!k.startsWith(PREFIX)) {
                env.put(k, v);
            }
        });
        return new Key(cmd.get(0), env);
    }

    /** Whether a warm interpreter started for {@code key} would run {@code pb} as a cold start does. */
    static boolean sameAsCold(ProcessBuilder pb, Key key, Set<String> imported) throws IOException {
        List<String> cmd = pb.command();
        if (!ascii(pb.directory().getAbsolutePath()) || !cmd.stream().allMatch(WarmStarts::ascii)
                || !pb.environment().entrySet().stream().filter(e -> e.getKey().startsWith(PREFIX))
                .allMatch(e -> ascii(e.getKey()) && ascii(e.getValue()))) {
            return false;
        }
        String pythonPath = key.environment().get("PYTHONPATH");
        if (pythonPath != null && Stream.of(pythonPath.split(java.io.File.pathSeparator, -1))
                .anyMatch(p -> p.isEmpty() || !Path.of(p).isAbsolute())) {
            return false;
        }
        try (Stream<Path> root = Files.list(pb.directory().toPath())) {
            return root.map(p -> p.getFileName().toString())
                    .map(name -> name.indexOf('.') < 0 ? name : name.substring(0, name.indexOf('.')))
                    .noneMatch(imported::contains);
        }
    }

    private Waiting take(Key key, ProcessBuilder pb) {
        List<Waiting> ending = new ArrayList<>();
        Waiting found = null;
        synchronized (this) {
            for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
                Waiting w = it.next();
                if (!w.process().isAlive()) {
                    it.remove();
                    ending.add(w);
                } else if (found == null && w.key().equals(key) && Files.exists(w.dir().resolve("modules"))) {
                    it.remove();
                    found = w;
                }
            }
        }
        ending.forEach(WarmStarts::end);
        if (found == null) {
            return null;
        }
        try {
            Set<String> imported = new HashSet<>(Files.readAllLines(found.dir().resolve("modules"),
                    StandardCharsets.UTF_8));
            if (sameAsCold(pb, key, imported)) {
                return found;
            }
        } catch (IOException | UncheckedIOException e) {
            // unreadable: treated as not ready
        }
        // not for this project; another may use it
        keep(found);
        return null;
    }

    private void go(Waiting w, ProcessBuilder pb) throws IOException {
        Map<String, String> plugin = new LinkedHashMap<>();
        pb.environment().forEach((k, v) -> {
            if (k.startsWith(PREFIX)) {
                plugin.put(k, v);
            }
        });
        List<String> cmd = pb.command();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("cwd", pb.directory().getAbsolutePath());
        line.put("env", plugin);
        line.put("args", cmd.subList(3, cmd.size()));
        OutputStream in = w.process().getOutputStream();
        in.write(JSON.writeValueAsBytes(line));
        in.write('\n');
        in.close();
    }

    private void schedulePrepare(Key key, Path workDir) {
        try {
            timer.schedule(() -> prepare(key, workDir), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the worker stops: no next start to prepare for
        }
    }

    private void prepare(Key key, Path workDir) {
        Path dir = workDir.resolve("warm-" + ids.incrementAndGet());
        Waiting started;
        try {
            Files.createDirectories(dir);
            ProcessBuilder pb = new ProcessBuilder(key.python(), "-c", bootstrap).directory(dir.toFile())
                    .redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(key.environment());
            started = new Waiting(key, pb.start(), dir, System.nanoTime());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "no warm start prepared: {0}", e.toString());
            Folders.deleteQuietly(dir);
            return;
        }
        keep(started);
    }

    /** Adds an interpreter to those waiting, ending the oldest beyond the capacity (or it, once shut down). */
    private void keep(Waiting w) {
        List<Waiting> ending = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                ending.add(w);
            } else {
                waiting.add(w);
                waiting.sort(java.util.Comparator.comparingLong(Waiting::startedNanos));
                while (waiting.size() > capacity) {
                    ending.add(waiting.remove(0));
                }
            }
        }
        ending.forEach(WarmStarts::end);
    }

    private void expire() {
        long now = System.nanoTime();
        List<Waiting> ending = new ArrayList<>();
        synchronized (this) {
            waiting.removeIf(w -> (now - w.startedNanos() > maxAge.toNanos() || !w.process().isAlive())
                    && ending.add(w));
        }
        ending.forEach(WarmStarts::end);
    }

    private static void end(Waiting w) {
        Subprocess.kill(w.process());
        try {
            w.process().waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Folders.deleteQuietly(w.dir());
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
