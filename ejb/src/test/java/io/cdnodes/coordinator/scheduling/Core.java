package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.config.ReportLimits;
import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.coordinator.evaluation.TaskKind;
import io.cdnodes.coordinator.results.TestOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Drives a {@link Scheduler} the way the dispatcher does, over a {@link FakeStore}: each event's decisions are
 * written, committed and their frames kept in {@link #sent}; time moves only when a test moves it.
 */
final class Core {

    static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");
    static final RunOptions DYNAMIC = new RunOptions(List.of(), Map.of());
    static final RunOptions ROUND_ROBIN = new RunOptions(List.of(), Map.of(), false, RunOptions.ROUND_ROBIN,
            RunOptions.AUTO);

    final FakeStore store;
    Scheduler scheduler;
    Instant now = T0;
    final List<Decisions.Send> sent = new ArrayList<>();
    final List<Decisions> decided = new ArrayList<>();
    private final List<Arrived> arrived = new ArrayList<>();

    Core() {
        this(new FakeStore());
    }

    Core(FakeStore store) {
        this(store, ReportLimits.defaults());
    }

    Core(FakeStore store, ReportLimits reportLimits) {
        this.store = store;
        this.scheduler = new Scheduler(store, Duration.ofSeconds(600), 2, reportLimits);
        apply(scheduler.start(now));
    }

    /** The coordinator restarts: a new scheduler over the same store. */
    void restart() {
        scheduler = new Scheduler(store, Duration.ofSeconds(600), 2);
        sent.clear();
        apply(scheduler.start(now));
    }

    Decisions apply(Decisions d) {
        if (d.persists()) {
            try {
                store.write(d);
            } catch (RuntimeException e) {
                scheduler.rollback();
                throw e;
            }
        }
        scheduler.commit();
        sent.addAll(d.sends());
        decided.add(d);
        return d;
    }

    void later(double seconds) {
        now = now.plusNanos(Math.round(seconds * 1e9));
    }

    /** An evaluation with these projects, recorded and announced. Returns the project ids. */
    List<Long> submit(long evaluationId, RunOptions options, String... projects) {
        List<Long> ids = store.evaluation(evaluationId, options, projects);
        apply(scheduler.submitted(evaluationId));
        return ids;
    }

    void join(String conn, int slots) {
        join(conn, conn, slots);
    }

    void join(String conn, String name, int slots) {
        apply(scheduler.joined(new WorkerJoined(conn, name, "10.0.0.1:" + conn.hashCode(), "127.0.0.1:7000", slots,
                List.of()), now));
    }

    /** A dispatch round; results that arrived are recorded first, in the same event (as the dispatcher does). */
    Decisions round() {
        List<Arrived> before = takeArrived();
        try {
            return apply(scheduler.dispatch(before, now));
        } catch (RuntimeException e) {
            arrived.addAll(0, before);
            throw e;
        }
    }

    private List<Arrived> takeArrived() {
        List<Arrived> batch = new ArrayList<>(arrived);
        arrived.clear();
        return batch;
    }

    /** The ASSIGNs sent to a connection, oldest first. */
    List<Decisions.Assign> assigns(String conn) {
        return sent.stream().filter(s -> s instanceof Decisions.Assign && s.connectionId().equals(conn))
                .map(s -> (Decisions.Assign) s).toList();
    }

    List<Decisions.Assign> assigns() {
        return sent.stream().filter(s -> s instanceof Decisions.Assign).map(s -> (Decisions.Assign) s).toList();
    }

    /** The worker reports the collection of its COLLECT and ends it. */
    void collect(Decisions.Assign a, List<String> ids) {
        scheduler.collected(a.connectionId(), new CollectionReport(a.taskId(), a.attempt(), ids));
        done(a, 0);
    }

    /** The worker reports a collection whose nodes share these scopes ("" for none), and ends it. */
    void collectScoped(Decisions.Assign a, List<String> ids, List<String> scopes) {
        scheduler.collected(a.connectionId(), new CollectionReport(a.taskId(), a.attempt(), ids, scopes));
        done(a, 0);
    }

    /** Durations from earlier runs of the project, one per node. */
    void history(String project, List<String> ids, double seconds) {
        java.util.Map<String, Double> h = new java.util.HashMap<>(store.history.getOrDefault(project, Map.of()));
        ids.forEach(id -> h.put(id, seconds));
        store.history.put(project, h);
    }

    /** The RUN assignments sent, oldest first. */
    List<Decisions.Assign> runs(String conn) {
        return assigns(conn).stream().filter(a -> a.kind() == TaskKind.RUN).toList();
    }

    Decisions.Assign lastRun(String conn) {
        List<Decisions.Assign> r = runs(conn);
        return r.get(r.size() - 1);
    }

    TaskRow task(long id) {
        return store.tasks.get(id);
    }

    static List<String> nodes(String module, int n) {
        return IntStream.range(0, n).mapToObj(i -> module + "::test_" + i).toList();
    }

    void started(Decisions.Assign a, String node) {
        apply(scheduler.testStarted(a.connectionId(), a.taskId(), a.attempt(), node, now));
    }

    void result(Decisions.Assign a, String node, TestOutcome outcome, double seconds) {
        result(a, node, outcome, seconds, Map.of());
    }

    /** A result with what pytest reported beyond its outcome (a TEST_RESULT's report). */
    void result(Decisions.Assign a, String node, TestOutcome outcome, double seconds, Map<String, String> report) {
        scheduler.resultArrived(a.connectionId(), new TestReport(a.taskId(), a.attempt(), node, outcome, seconds, null,
                report), now).ifPresent(arrived::add);
    }

    /** Every node of the assignment passed, taking {@code seconds} each. */
    void passAll(Decisions.Assign a, double seconds) {
        a.nodeIds().forEach(n -> result(a, n, TestOutcome.PASSED, seconds));
    }

    Decisions flush() {
        List<Arrived> batch = new ArrayList<>(arrived);
        arrived.clear();
        try {
            return apply(scheduler.results(batch));
        } catch (RuntimeException e) {
            arrived.addAll(0, batch);
            throw e;
        }
    }

    /** The assignment ends; the results that arrived before are recorded first, in the same event. */
    Decisions done(Decisions.Assign a, int exitCode) {
        List<Arrived> before = takeArrived();
        try {
            return apply(scheduler.assignmentDone(a.connectionId(), a.taskId(), a.attempt(), exitCode, "", before,
                    now));
        } catch (RuntimeException e) {
            arrived.addAll(0, before);
            throw e;
        }
    }

    Decisions lose(String conn) {
        List<Arrived> before = takeArrived();
        try {
            return apply(scheduler.lost(conn, "test", before, now));
        } catch (RuntimeException e) {
            arrived.addAll(0, before);
            throw e;
        }
    }

    /** The results stored for a project, by node id. */
    Map<String, Decisions.ResultRow> results(long projectId) {
        return store.results.getOrDefault(projectId, Map.of());
    }

    /** The collection of a project's evaluation on the first worker that gets one, with these node ids. */
    Decisions.Assign collectOn(String conn, List<String> ids) {
        round();
        Decisions.Assign c = assigns(conn).stream().filter(a -> a.kind() == TaskKind.COLLECT).reduce((x, y) -> y)
                .orElseThrow();
        collect(c, ids);
        return c;
    }
}
