package io.cdnodes.coordinator.scheduling;

import static io.cdnodes.coordinator.scheduling.Core.DYNAMIC;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.evaluation.EvaluationStatus;
import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.coordinator.evaluation.TaskState;
import io.cdnodes.coordinator.results.TestOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code reruns} option: a failed or errored test runs again alone, away from the worker it failed on, after
 * {@code reruns_delay}; its failed attempts are kept; the last attempt is the result, flaky when it passed.
 */
class FlakyRerunsTest {

    private static final String A = "t.py::test_a";
    private static final String B = "t.py::test_b";
    private static final List<String> IDS = List.of(A, B);

    private final Core core = new Core();

    private long start(RunOptions options) {
        core.join("c1", 1);
        core.join("c2", 1);
        core.history("p", IDS, 5.0);
        long project = core.submit(1, options, "p").get(0);
        core.collectOn("c1", IDS);
        return project;
    }

    @Test
    void aTestThatPassesOnItsRerunEndsPassedAndFlakyWithItsFailureKept() {
        long p = start(DYNAMIC.withReruns(2, 0));
        core.round();
        List<Decisions.Assign> all = openRuns();
        Decisions.Assign withA = all.stream().filter(a -> a.nodeIds().contains(A)).findFirst().orElseThrow();
        for (Decisions.Assign a : all) {
            for (String n : a.nodeIds()) {
                core.result(a, n, n.equals(A) ? TestOutcome.FAILED : TestOutcome.PASSED, 0.5);
            }
            core.done(a, 1);
        }
        assertThat(core.results(p)).containsOnlyKeys(B);
        assertThat(core.store.attempts.get(p)).singleElement().satisfies(r -> {
            assertThat(r.nodeId()).isEqualTo(A);
            assertThat(r.outcome()).isEqualTo(TestOutcome.FAILED);
            assertThat(r.attempt()).as("the attempt's number").isEqualTo(1);
            assertThat(r.workerName()).isEqualTo(withA.connectionId());
        });
        assertThat(core.store.evaluationRow(1).status()).isEqualTo(EvaluationStatus.RUNNING);

        core.round();
        String other = withA.connectionId().equals("c1") ? "c2" : "c1";
        Decisions.Assign rerun = core.lastRun(other);
        assertThat(rerun.nodeIds()).as("alone, on the other worker").containsExactly(A);
        core.result(rerun, A, TestOutcome.PASSED, 0.4);
        core.done(rerun, 0);

        assertThat(core.results(p).get(A)).satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(TestOutcome.PASSED);
            assertThat(r.flaky()).isTrue();
            assertThat(r.workerName()).isEqualTo(other);
        });
        assertThat(core.results(p).get(B).flaky()).isFalse();
        assertThat(core.store.attempts.get(p)).hasSize(1);
        assertThat(core.store.evaluationRow(1).status()).isEqualTo(EvaluationStatus.DONE);
    }

    @Test
    void aTestThatFailsEveryRerunEndsFailedWithEveryAttemptKept() {
        long p = start(DYNAMIC.withReruns(2, 0));
        failEverywhere(p);

        assertThat(core.results(p).get(A)).satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(TestOutcome.FAILED);
            assertThat(r.flaky()).isFalse();
        });
        assertThat(core.store.attempts.get(p)).extracting(Decisions.ResultRow::attempt).containsExactly(1, 2);
        assertThat(core.store.attempts.get(p)).extracting(Decisions.ResultRow::workerName)
                .as("each rerun away from the worker the last attempt failed on").doesNotHaveDuplicates()
                .hasSize(2);
        assertThat(core.store.evaluationRow(1).status()).isEqualTo(EvaluationStatus.DONE);
    }

    /** Every attempt of A fails until the evaluation ends; returns how many runs of A there were. */
    private int failEverywhere(long p) {
        int runsOfA = 0;
        for (int round = 0; round < 10 && core.store.evaluationRow(1).status() != EvaluationStatus.DONE; round++) {
            core.round();
            for (Decisions.Assign a : openRuns()) {
                for (String n : a.nodeIds()) {
                    runsOfA += n.equals(A) ? 1 : 0;
                    core.result(a, n, n.equals(A) ? TestOutcome.FAILED : TestOutcome.PASSED, 0.5);
                }
                core.done(a, 1);
            }
        }
        return runsOfA;
    }

    /** The RUN assignments whose task is still running that attempt. */
    private List<Decisions.Assign> openRuns() {
        return core.sent.stream().filter(s -> s instanceof Decisions.Assign a && !a.nodeIds().isEmpty())
                .map(s -> (Decisions.Assign) s).filter(a -> {
                    TaskRow t = core.task(a.taskId());
                    return t.state() == TaskState.RUNNING && t.attempt() == a.attempt();
                }).toList();
    }

    @Test
    void withoutRerunsAFailureIsTheResultAtOnce() {
        long p = start(DYNAMIC);
        assertThat(failEverywhere(p)).isEqualTo(1);
        assertThat(core.results(p).get(A).outcome()).isEqualTo(TestOutcome.FAILED);
        assertThat(core.store.attempts.get(p)).isNull();
    }

    @Test
    void aRerunWaitsForItsDelay() {
        long p = start(DYNAMIC.withReruns(1, 30));
        core.round();
        for (Decisions.Assign a : openRuns()) {
            a.nodeIds().forEach(n -> core.result(a, n, n.equals(A) ? TestOutcome.ERROR : TestOutcome.PASSED, 0.5));
            Decisions d = core.done(a, 1);
            if (a.nodeIds().contains(A)) {
                assertThat(d.roundInMillis()).as("a round when the rerun is due").hasValue(30_000);
            }
        }
        core.later(29);
        core.round();
        assertThat(openRuns()).as("not before its delay").isEmpty();
        core.later(1);
        core.round();
        assertThat(openRuns()).singleElement().satisfies(a -> assertThat(a.nodeIds()).containsExactly(A));
        assertThat(core.results(p)).containsOnlyKeys(B);
    }

    @Test
    void aRerunOutlivesARestartAndStillCountsItsAttempts() {
        long p = start(DYNAMIC.withReruns(1, 0));
        core.round();
        for (Decisions.Assign a : openRuns()) {
            a.nodeIds().forEach(n -> core.result(a, n, n.equals(A) ? TestOutcome.FAILED : TestOutcome.PASSED, 0.5));
            core.done(a, 1);
        }

        core.restart();
        core.join("c1", 1);
        core.join("c2", 1);
        assertThat(failEverywhere(p)).as("the one rerun, not a second").isEqualTo(1);

        assertThat(core.results(p).get(A).outcome()).isEqualTo(TestOutcome.FAILED);
        assertThat(core.store.attempts.get(p)).hasSize(1);
        assertThat(core.store.evaluationRow(1).status()).isEqualTo(EvaluationStatus.DONE);
    }

    @Test
    void aTestWhoseResultNeverCameIsRunAgainToo() {
        long p = start(DYNAMIC.withReruns(1, 0));
        core.round();
        for (Decisions.Assign a : openRuns()) {
            // the run ends (a crash, a timeout) before A reports anything
            a.nodeIds().stream().filter(n -> !n.equals(A)).forEach(n -> core.result(a, n, TestOutcome.PASSED, 0.5));
            core.done(a, -9);
        }
        assertThat(core.store.attempts.get(p)).singleElement()
                .satisfies(r -> assertThat(r.outcome()).isEqualTo(TestOutcome.ERROR));
        core.round();
        Decisions.Assign rerun = openRuns().get(0);
        core.result(rerun, A, TestOutcome.PASSED, 0.5);
        core.done(rerun, 0);
        assertThat(core.results(p).get(A).flaky()).isTrue();
    }

    @Test
    void aRerunWhoseWorkerIsLostUnderItIsIsolatedAndStillAnswers() {
        long p = start(DYNAMIC.withReruns(1, 0));
        core.round();
        for (Decisions.Assign a : openRuns()) {
            core.started(a, a.nodeIds().get(0));
            a.nodeIds().forEach(n -> core.result(a, n, n.equals(A) ? TestOutcome.FAILED : TestOutcome.PASSED, 0.5));
            core.done(a, 1);
        }
        core.round();
        Decisions.Assign rerun = openRuns().get(0);
        assertThat(rerun.nodeIds()).containsExactly(A);
        core.started(rerun, A);
        core.lose(rerun.connectionId());

        core.join("c3", 1);
        core.round();
        Decisions.Assign again = openRuns().get(0);
        assertThat(again.nodeIds()).containsExactly(A);
        core.result(again, A, TestOutcome.PASSED, 0.5);
        core.done(again, 0);

        assertThat(core.results(p).get(A)).satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(TestOutcome.PASSED);
            assertThat(r.flaky()).isTrue();
        });
        assertThat(core.store.evaluationRow(1).status()).isEqualTo(EvaluationStatus.DONE);
    }

    @Test
    void aTestWithAnOverLongNodeIdIsNeitherKeptNorRunAgainAndItsTaskEnds() {
        String huge = "t.py::test_p[" + "a".repeat(Reports.MAX_NODE_ID) + "]";
        core.join("c1", 1);
        core.join("c2", 1);
        long p = core.submit(1, DYNAMIC.withReruns(2, 0), "p").get(0);
        core.collectOn("c1", List.of(A, huge));
        core.round();
        for (Decisions.Assign a : openRuns()) {
            a.nodeIds().forEach(n -> core.result(a, n, TestOutcome.FAILED, 0.5));
            core.done(a, 1);
        }
        assertThat(core.store.attempts.get(p)).extracting(Decisions.ResultRow::nodeId).containsOnly(A);
        assertThat(openRuns()).as("no task is left holding the long one").allSatisfy(a ->
                assertThat(a.nodeIds()).doesNotContain(huge));
    }

    @Test
    void aRerunIsolatedAfterItsWorkerIsLostStaysARerunThroughARestart() {
        long p = start(DYNAMIC.withReruns(1, 0));
        core.round();
        for (Decisions.Assign a : openRuns()) {
            a.nodeIds().forEach(n -> core.result(a, n, n.equals(A) ? TestOutcome.FAILED : TestOutcome.PASSED, 0.5));
            core.done(a, 1);
        }
        core.round();
        Decisions.Assign rerun = openRuns().get(0);
        core.started(rerun, A);
        core.lose(rerun.connectionId());
        assertThat(core.store.tasks.values()).filteredOn(t -> t.state() != TaskState.DONE)
                .singleElement().satisfies(t -> {
                    assertThat(t.nodeIds()).containsExactly(A);
                    assertThat(t.rerun()).as("the isolated copy is still the test's rerun").isTrue();
                });

        core.restart();
        core.join("c3", 1);
        assertThat(failEverywhere(p)).as("the one rerun, run once more where it was lost").isEqualTo(1);
        assertThat(core.store.attempts.get(p)).hasSize(1);
        assertThat(core.results(p).get(A).outcome()).isEqualTo(TestOutcome.FAILED);
    }
}
