package io.cdnodes.coordinator;

import io.cdnodes.coordinator.access.ApiKey;
import io.cdnodes.coordinator.evaluation.Evaluation;
import io.cdnodes.coordinator.evaluation.Project;
import io.cdnodes.coordinator.evaluation.Task;
import io.cdnodes.coordinator.results.ReportColumns;
import io.cdnodes.coordinator.results.TestAttemptRecord;
import io.cdnodes.coordinator.results.TestResultRecord;
import io.cdnodes.coordinator.results.TestRun;
import io.cdnodes.coordinator.schema.Migrations;
import org.h2.jdbcx.JdbcDataSource;
import org.hibernate.cfg.Configuration;

/** For tests of statements against a real database: Hibernate on an in-memory H2 with the coordinator's entities. */
public final class TestDatabases {

    private TestDatabases() {
    }

    /**
     * The coordinator's entities on a new in-memory H2 database whose schema the migrations make, as the server's
     * start does (Flyway, then Hibernate validating it against the entities); {@code urlOptions} (";MODE=...", ...)
     * go after its name. The database lives until the test JVM ends.
     */
    public static Configuration inMemory(String name, String urlOptions) {
        String url = "jdbc:h2:mem:" + name + System.nanoTime() + ";DB_CLOSE_DELAY=-1" + urlOptions;
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        ds.setUser("sa");
        Migrations.migrate(ds);
        return entities()
                .setProperty("hibernate.connection.url", url)
                .setProperty("hibernate.connection.username", "sa")
                .setProperty("hibernate.hbm2ddl.auto", "validate");
    }

    /** Hibernate with the coordinator's entities (persistence.xml lists the same), nothing else set. */
    public static Configuration entities() {
        return new Configuration()
                .addAnnotatedClass(Evaluation.class).addAnnotatedClass(Project.class).addAnnotatedClass(Task.class)
                .addAnnotatedClass(TestResultRecord.class).addAnnotatedClass(TestAttemptRecord.class)
                .addAnnotatedClass(ReportColumns.class).addAnnotatedClass(TestRun.class)
                .addAnnotatedClass(ApiKey.class);
    }
}
