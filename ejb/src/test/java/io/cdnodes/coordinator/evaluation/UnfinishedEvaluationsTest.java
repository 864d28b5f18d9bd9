package io.cdnodes.coordinator.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.TestDatabases;
import io.cdnodes.coordinator.access.ApiKey;
import io.cdnodes.coordinator.access.Caller;
import io.cdnodes.coordinator.access.KeySecrets;
import jakarta.persistence.EntityManager;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The queued cap under parallel submissions, against a real database: Hibernate (the coordinator's provider) on an
 * in-memory H2 with the coordinator's entities and the server's lock timeout, each submission in its own
 * transaction on its own connection, as parallel HTTP requests are.
 */
class UnfinishedEvaluationsTest {

    private static final int CAP = 3;
    private static final int PARALLEL = 12;
    private static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

    private static SessionFactory factory;

    @BeforeAll
    static void boot() {
        factory = TestDatabases.inMemory("queued", ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000")
                .setProperty("hibernate.connection.pool_size", Integer.toString(PARALLEL + 2))
                .buildSessionFactory();
    }

    @AfterAll
    static void shutDown() {
        factory.close();
    }

    @Test
    void parallelSubmissionsOfOneKeyPassTheCapOneAtATime() throws Exception {
        Caller carol = key("carol");
        List<Boolean> accepted = submitTogether(carol);

        assertThat(accepted).filteredOn(a -> a).hasSize(CAP);
        assertThat(unfinished(carol)).isEqualTo(CAP);
    }

    @Test
    void anotherKeysEvaluationsAreNotCounted() throws Exception {
        Caller dave = key("dave");
        Caller erin = key("erin");
        for (int i = 0; i < CAP; i++) {
            inTx(em -> record(em, erin));
        }

        assertThat(submitTogether(dave)).filteredOn(a -> a).hasSize(CAP);
        assertThat(unfinished(dave)).isEqualTo(CAP);
    }

    /**
     * {@value #PARALLEL} submissions let go at once, each checking the cap and recording an evaluation in its own
     * transaction, which stays open a moment after the check (an upload's intake takes longer); whether each was
     * accepted.
     */
    private static List<Boolean> submitTogether(Caller caller) throws Exception {
        QueueLimit limit = new QueueLimit(CAP);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        return inTx(em -> {
                            limit.check(caller, UnfinishedEvaluations.countLocked(em, caller));
                            record(em, caller);
                            sleep(50);
                            return true;
                        });
                    } catch (QueueFullException refused) {
                        return false;
                    }
                }));
            }
            go.countDown();
            List<Boolean> out = new ArrayList<>();
            for (Future<Boolean> f : results) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A key, stored as the coordinator stores it (each test has its own). */
    private static Caller key(String name) {
        inTx(em -> {
            em.persist(new ApiKey(name, KeySecrets.issue(new SecureRandom()), NOW));
            return null;
        });
        return Caller.namedKey(name);
    }

    private static long unfinished(Caller caller) {
        return UnfinishedEvaluationsTest.<Long>inTx(em -> UnfinishedEvaluations.count(em, caller));
    }

    private static Object record(EntityManager em, Caller caller) {
        em.persist(new Evaluation(NOW, "upload x.zip", "{}", caller.name()));
        em.flush();
        return null;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private interface Work<T> {
        T in(EntityManager em);
    }

    /** Runs the work in a transaction of its own, rolled back when it throws. */
    private static <T> T inTx(Work<T> work) {
        EntityManager em = factory.createEntityManager();
        try {
            em.getTransaction().begin();
            T out = work.in(em);
            em.getTransaction().commit();
            return out;
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }
}
