package io.cdnodes.coordinator.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.TestDatabases;
import io.cdnodes.coordinator.evaluation.Evaluation;
import io.cdnodes.coordinator.evaluation.EvaluationStatus;
import io.cdnodes.coordinator.evaluation.Project;
import io.cdnodes.coordinator.results.TestOutcome;
import io.cdnodes.coordinator.results.TestAttemptRecord;
import io.cdnodes.coordinator.results.TestDetails;
import io.cdnodes.coordinator.results.TestResultRecord;
import io.cdnodes.coordinator.evaluation.Task;
import io.cdnodes.coordinator.evaluation.TaskKind;
import io.cdnodes.coordinator.evaluation.TaskState;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention's statements against a real database: Hibernate (the coordinator's provider) on an in-memory H2
 * with the coordinator's entities and the migrated schema, as the server runs them.
 */
class RetentionSweepTest {

    private static final Instant CUTOFF = Instant.parse("2025-06-01T00:00:00Z");
    private static final Instant OLD = CUTOFF.minusSeconds(3600);
    private static final Instant RECENT = CUTOFF.plusSeconds(3600);
    private static final String SHARED = "a".repeat(64);
    private static final String ONLY_OLD = "b".repeat(64);
    private static final String ONLY_RECENT = "c".repeat(64);

    private static SessionFactory factory;
    private EntityManager em;

    @BeforeAll
    static void boot() {
        factory = TestDatabases.inMemory("retention", "").buildSessionFactory();
    }

    @AfterAll
    static void shutDown() {
        factory.close();
    }

    @BeforeEach
    void open() {
        em = factory.createEntityManager();
    }

    @AfterEach
    void emptyTheDatabase() {
        inTx(() -> {
            for (String entity : List.of("TestResultRecord", "TestAttemptRecord", "Task", "Project", "Evaluation")) {
                em.createQuery("delete from " + entity).executeUpdate();
            }
            return null;
        });
        em.close();
    }

    @Test
    void onlyEvaluationsFinishedBeforeTheCutoffAreSelectedOldestFirst() {
        long a = evaluation(EvaluationStatus.DONE, OLD, ONLY_OLD);
        long b = evaluation(EvaluationStatus.CANCELLED, OLD, ONLY_OLD);
        long c = evaluation(EvaluationStatus.FAILED, OLD, ONLY_OLD);
        evaluation(EvaluationStatus.DONE, RECENT, ONLY_RECENT);
        evaluation(EvaluationStatus.QUEUED, null, ONLY_RECENT);
        evaluation(EvaluationStatus.RUNNING, null, ONLY_RECENT);

        RetentionSweep sweep = new RetentionSweep(em);

        assertThat(sweep.expired(CUTOFF, 10)).containsExactly(a, b, c);
        assertThat(sweep.expired(CUTOFF, 2)).containsExactly(a, b);
    }

    @Test
    void deletingTakesResultsAttemptsTasksAndProjectsAlongAndNamesTheirPackages() {
        long old = evaluation(EvaluationStatus.DONE, OLD, SHARED, ONLY_OLD);
        long recent = evaluation(EvaluationStatus.DONE, RECENT, SHARED, ONLY_RECENT);
        RetentionSweep sweep = new RetentionSweep(em);

        var packages = inTx(() -> sweep.delete(sweep.expired(CUTOFF, 10)));

        assertThat(packages).containsExactlyInAnyOrder(SHARED, ONLY_OLD);
        em.clear();
        assertThat(em.find(Evaluation.class, old)).isNull();
        assertThat(em.find(Evaluation.class, recent)).isNotNull();
        assertThat(count("select count(p) from Project p")).isEqualTo(2);
        assertThat(count("select count(t) from Task t")).isEqualTo(2);
        assertThat(count("select count(r) from TestResultRecord r")).isEqualTo(4);
        assertThat(count("select count(r) from TestResultRecord r where r.project.evaluation.id = " + recent))
                .isEqualTo(4);
        assertThat(count("select count(a) from TestAttemptRecord a")).isEqualTo(2);
        assertThat(count("select count(a) from TestAttemptRecord a where a.project.evaluation.id = " + recent))
                .isEqualTo(2);
        assertThat(sweep.packageInUse(SHARED)).as("the recent evaluation still uses it").isTrue();
        assertThat(sweep.packageInUse(ONLY_OLD)).isFalse();
        assertThat(sweep.expired(CUTOFF, 10)).isEmpty();
    }

    @Test
    void nothingExpiredDeletesNothing() {
        evaluation(EvaluationStatus.DONE, RECENT, ONLY_RECENT);
        RetentionSweep sweep = new RetentionSweep(em);

        assertThat(inTx(() -> sweep.delete(sweep.expired(CUTOFF, 10)))).isEmpty();
        assertThat(count("select count(e) from Evaluation e")).isEqualTo(1);
    }

    private long lastTaskId;

    /** An evaluation with one project per package, each with a task, two results and an earlier attempt of one. */
    private long evaluation(EvaluationStatus status, Instant finishedAt, String... packages) {
        return inTx(() -> {
            Evaluation e = new Evaluation(OLD.minusSeconds(60), "upload x.zip", "{}", "alice");
            em.persist(e);
            int position = 0;
            for (String pkg : packages) {
                Project p = new Project(e, position++, "p" + position, pkg, 10);
                em.persist(p);
                Task t = new Task(++lastTaskId, p, TaskKind.RUN);
                t.update(TaskState.PENDING, 0, List.of("t.py::a", "t.py::b"), null, null, null, null, null, null, 0,
                        null, false, null, false);
                em.persist(t);
                for (String node : List.of("t.py::a", "t.py::b")) {
                    em.persist(new TestResultRecord(p, node, TestOutcome.PASSED, 0.1, "w1", "127.0.0.1:1", 1, "", OLD));
                }
                em.persist(new TestAttemptRecord(p, "t.py::a", 1, TestOutcome.FAILED, 0.1, "w2", "127.0.0.1:2",
                        "assert 1 == 2", OLD, OLD, TestDetails.NONE));
            }
            if (status == EvaluationStatus.RUNNING) {
                e.started(OLD);
            } else if (status.terminal()) {
                e.finished(status, finishedAt);
            }
            return e.getId();
        });
    }

    private long count(String jpql) {
        return em.createQuery(jpql, Long.class).getSingleResult();
    }

    private <T> T inTx(java.util.function.Supplier<T> work) {
        em.getTransaction().begin();
        T out = work.get();
        em.getTransaction().commit();
        return out;
    }
}
