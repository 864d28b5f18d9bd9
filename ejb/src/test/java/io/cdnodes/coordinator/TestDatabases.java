package io.cdnodes.coordinator;

import io.cdnodes.coordinator.access.ApiKey;
import io.cdnodes.coordinator.evaluation.Evaluation;
import io.cdnodes.coordinator.evaluation.Project;
import io.cdnodes.coordinator.evaluation.Task;
import io.cdnodes.coordinator.results.TestResultRecord;
import org.hibernate.cfg.Configuration;

/** For tests of statements against a real database: Hibernate on an in-memory H2 with the coordinator's entities. */
public final class TestDatabases {

    private TestDatabases() {
    }

    /**
     * The coordinator's entities on a new in-memory H2 database whose schema hbm2ddl makes, as the server does;
     * {@code urlOptions} (";DB_CLOSE_DELAY=-1", ...) go after its name.
     */
    public static Configuration inMemory(String name, String urlOptions) {
        return new Configuration()
                .addAnnotatedClass(Evaluation.class).addAnnotatedClass(Project.class).addAnnotatedClass(Task.class)
                .addAnnotatedClass(TestResultRecord.class).addAnnotatedClass(ApiKey.class)
                .setProperty("hibernate.connection.url", "jdbc:h2:mem:" + name + System.nanoTime() + urlOptions)
                .setProperty("hibernate.connection.username", "sa")
                .setProperty("hibernate.hbm2ddl.auto", "update");
    }
}
