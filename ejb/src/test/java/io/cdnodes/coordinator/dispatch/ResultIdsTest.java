package io.cdnodes.coordinator.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.TestDatabases;
import io.cdnodes.coordinator.evaluation.Evaluation;
import io.cdnodes.coordinator.evaluation.Project;
import io.cdnodes.coordinator.results.TestOutcome;
import io.cdnodes.coordinator.results.TestResultRecord;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Result ids after an upgrade, against a real database: Hibernate on an in-memory H2 with the coordinator's entities
 * and the migrated schema, as the server runs them. The results a database made before hold ids from its identity column; the
 * schema update adds the sequence at 1.
 */
class ResultIdsTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private SessionFactory factory;
    private EntityManager em;
    private Project project;

    @BeforeEach
    void boot() {
        factory = TestDatabases.inMemory("ids", "").setProperty("hibernate.jdbc.batch_size", "50")
                .buildSessionFactory();
        em = factory.createEntityManager();
        project = inTx(() -> {
            Evaluation e = new Evaluation(AT, "upload x.zip", "{}", "alice");
            em.persist(e);
            Project p = new Project(e, 0, "p", "a".repeat(64), 10);
            em.persist(p);
            return p;
        });
    }

    @AfterEach
    void shutDown() {
        em.close();
        factory.close();
    }

    @Test
    void afterAnUpgradeNewResultsAreNumberedPastTheStoredOnes() {
        inTx(() -> {
            for (long id = 1; id <= 250; id++) {
                em.createNativeQuery("insert into test_result (id, project_id, nodeId, module, outcome, duration, "
                                + "attempt, recordedAt) values (?1, ?2, ?3, 't.py', 'PASSED', 0.1, 1, ?4)")
                        .setParameter(1, id).setParameter(2, project.getId()).setParameter(3, "t.py::old" + id)
                        .setParameter(4, AT).executeUpdate();
            }
            return null;
        });

        assertThat(inTx(() -> ResultIds.alignSequence(em))).isTrue();
        List<Long> ids = inTx(() -> {
            List<TestResultRecord> records = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                TestResultRecord r = new TestResultRecord(project, "t.py::new" + i, TestOutcome.PASSED, 0.1, "w1",
                        "127.0.0.1:1", 1, "", AT);
                em.persist(r);
                records.add(r);
            }
            return records;
        }).stream().map(TestResultRecord::getId).toList();

        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id > 250);
        assertThat(em.createQuery("select count(r) from TestResultRecord r", Long.class).getSingleResult())
                .isEqualTo(370);
        assertThat(inTx(() -> ResultIds.alignSequence(em))).as("already past them").isFalse();
    }

    @Test
    void aDatabaseWithoutResultsIsLeftAlone() {
        assertThat(inTx(() -> ResultIds.alignSequence(em))).isFalse();
    }

    private <T> T inTx(Supplier<T> work) {
        em.getTransaction().begin();
        T out = work.get();
        em.getTransaction().commit();
        return out;
    }
}
