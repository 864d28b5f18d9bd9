package io.cdnodes.coordinator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.evaluation.ProjectStatus;
import io.cdnodes.coordinator.evaluation.TaskKind;
import io.cdnodes.coordinator.evaluation.TaskState;
import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.coordinator.results.TestOutcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Invariants of the scheduling core over random event sequences: workers join, are lost and drain; evaluations are
 * submitted (with and without history) and cancelled; workers collect, report results (all, some or none), start
 * tests and end their assignments in any order; dispatch rounds; time passes; the coordinator restarts. After every
 * step: no collected test is lost (each has one result or is in an open task), none is recorded twice (the store
 * refuses a second result), no worker holds more than its slots plus one queued batch per slot, and every twin runs
 * on another worker than its original.
 */
class SchedulerPropertiesTest {

    @Property(tries = 300)
    void invariantsHoldWhateverHappens(@ForAll @Size(max = 120) List<@IntRange(min = 0, max = 9999) Integer> steps) {
        new Run().play(steps);
    }

    /**
     * The seed that found a task handed back after its worker was lost going to the worker that ran its twin (the
     * two then shared one worker's failure); fixed in {@code HandOut.eligible}, replayed here on every build.
     */
    @Property(tries = 300, seed = "-8719258149917430422")
    void anOriginalNeverJoinsItsTwinOnOneWorker(
            @ForAll @Size(max = 120) List<@IntRange(min = 0, max = 9999) Integer> steps) {
        new Run().play(steps);
    }

    /** One random run: a {@link Core} and the workers' side of it. */
    private static final class Run {
        private final Core core = new Core();
        /** Assignments each connection holds and has not ended, oldest first. */
        private final Map<String, List<Decisions.Assign>> held = new LinkedHashMap<>();
        private final Map<String, Integer> slots = new HashMap<>();
        private final Set<String> draining = new HashSet<>();
        /** What each project's collection reported. */
        private final Map<Long, List<String>> collected = new HashMap<>();
        private int seen;
        private int workers;
        private long evaluations;

        void play(List<Integer> steps) {
            for (int step : steps) {
                act(step % 10, step / 10);
                takeNewAssigns();
                check();
            }
        }

        private void act(int action, int n) {
            switch (action) {
                case 0 -> join(n);
                case 1 -> submit(n);
                case 2, 3 -> core.round();
                case 4, 5, 6 -> work(n);
                case 7 -> core.later((n % 20) / 10.0);
                case 8 -> loseOrDrain(n);
                default -> rare(n);
            }
        }

        private void join(int n) {
            if (held.size() < 4) {
                String conn = "c" + (++workers);
                int s = 1 + n % 2;
                slots.put(conn, s);
                held.put(conn, new ArrayList<>());
                // a reused name: the newest connection counts
                core.join(conn, n % 7 == 0 && workers > 1 ? "c1" : conn, s);
            }
        }

        private void submit(int n) {
            if (evaluations < 4) {
                long id = ++evaluations;
                String name = "p" + (n % 3);
                if (n % 2 == 0) {
                    core.history(name, Core.nodes(name + ".py", 12), 3.0);
                }
                // a failure runs again in some: the reruns keep a test's node accounted for until its last attempt
                core.submit(id, (n % 5 == 0 ? Core.ROUND_ROBIN : Core.DYNAMIC).withReruns(n % 3, 0), name);
            }
        }

        /** A worker does some of its oldest assignment. */
        private void work(int n) {
            List<String> busy = held.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey)
                    .toList();
            if (busy.isEmpty()) {
                return;
            }
            String conn = busy.get(n % busy.size());
            Decisions.Assign a = held.get(conn).remove(0);
            if (a.kind() == TaskKind.COLLECT) {
                List<String> ids = Core.nodes("p" + a.projectId() + ".py", 1 + n % 12);
                collected.put(a.projectId(), ids);
                core.collect(a, ids);
                return;
            }
            int reported = n % 3 == 0 ? a.nodeIds().size() : (n / 3) % (a.nodeIds().size() + 1);
            for (String id : a.nodeIds().subList(0, reported)) {
                core.result(a, id, n % 4 == 0 ? TestOutcome.FAILED : TestOutcome.PASSED, 0.01 * (n % 50));
            }
            if (reported < a.nodeIds().size() && n % 2 == 0) {
                core.started(a, a.nodeIds().get(reported));
            }
            int exit = draining.contains(conn) ? AssignmentDone.EXIT_DRAINED
                    : n % 11 == 0 ? AssignmentDone.EXIT_PACKAGE_MISSING : n % 5 == 0 ? 1 : 0;
            core.done(a, exit);
        }

        private void loseOrDrain(int n) {
            List<String> conns = new ArrayList<>(held.keySet());
            if (conns.isEmpty()) {
                return;
            }
            String conn = conns.get(n % conns.size());
            if (n % 3 == 0 && !draining.contains(conn)) {
                draining.add(conn);
                core.apply(core.scheduler.draining(conn, "stopping"));
            } else {
                held.remove(conn);
                core.lose(conn);
            }
        }

        private void rare(int n) {
            if (n % 4 == 0 && evaluations > 0) {
                core.apply(core.scheduler.cancel(1 + n % evaluations, List.of(), core.now));
            } else if (n % 4 == 1) {
                core.flush();
                // the coordinator restarts: the workers' connections are gone with it
                core.restart();
                held.clear();
                seen = 0;
            } else {
                core.flush();
            }
        }

        private void takeNewAssigns() {
            List<Decisions.Send> sent = core.sent;
            for (; seen < sent.size(); seen++) {
                if (sent.get(seen) instanceof Decisions.Assign a && held.containsKey(a.connectionId())) {
                    held.get(a.connectionId()).add(a);
                }
            }
        }

        private void check() {
            held.forEach((conn, assigns) -> assertThat(core.scheduler.worker(conn).orElseThrow().running())
                    .as("assignments of %s", conn).hasSizeLessThanOrEqualTo(2 * slots.get(conn)));
            Map<Long, TaskRow> tasks = core.store.tasks;
            for (TaskRow t : tasks.values()) {
                TaskRow original = t.twinOf() == null ? null : tasks.get(t.twinOf());
                if (t.state() == TaskState.RUNNING && original != null && original.state() == TaskState.RUNNING) {
                    assertThat(t.runningOnName()).as("twin %d of %d", t.id(), original.id())
                            .isNotEqualTo(original.runningOnName());
                }
            }
            collected.forEach((project, ids) -> {
                ProjectRow p = core.store.projects.get(project);
                if (p.status() == ProjectStatus.CANCELLED || p.status() == ProjectStatus.FAILED) {
                    return;
                }
                Set<String> accounted = new HashSet<>(core.results(project).keySet());
                tasks.values().stream().filter(t -> t.projectId() == project && t.state() != TaskState.DONE)
                        .forEach(t -> accounted.addAll(t.nodeIds()));
                if (p.status() == ProjectStatus.DONE || p.status() == ProjectStatus.RUNNING) {
                    assertThat(accounted).as("project %d (%s)", project, p.status()).containsAll(ids);
                }
                if (p.status() == ProjectStatus.DONE) {
                    assertThat(core.results(project).keySet()).as("project %d done", project).containsAll(ids);
                }
                Map<String, Long> attempts = core.store.attempts.getOrDefault(project, List.of()).stream()
                        .collect(java.util.stream.Collectors.groupingBy(Decisions.ResultRow::nodeId,
                                java.util.stream.Collectors.counting()));
                assertThat(attempts.values()).as("project %d: attempts kept per test", project)
                        .allMatch(count -> count <= 2);
            });
        }
    }
}
