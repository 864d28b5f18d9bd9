package io.cdnodes.coordinator.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdnodes.coordinator.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.h2.jdbcx.JdbcDataSource;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migrations on real H2 files: a new database gets the whole schema; a database the last release made with
 * hbm2ddl (its schema as dumped from a coordinator's database, {@code schema/previous-release.sql}, with rows in
 * it) is baselined and keeps its rows; either way Hibernate then validates the schema against the entities; a
 * second start changes nothing; a database from a newer release is refused.
 */
class MigrationsTest {

    @TempDir
    Path dir;

    private JdbcDataSource database(String name) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve(name) + ";WRITE_DELAY=0");
        ds.setUser("cdnodes");
        ds.setPassword("cdnodes");
        return ds;
    }

    @Test
    void aNewDatabaseGetsTheWholeSchemaThatTheEntitiesExpect() throws Exception {
        JdbcDataSource db = database("new");

        MigrateResult r = Migrations.migrate(db);

        assertThat(r.migrationsExecuted).isEqualTo(6);
        assertThat(r.targetSchemaVersion).isEqualTo("6");
        assertEntitiesValidate(db);
        assertThat(Migrations.migrate(db).migrationsExecuted).as("a second start").isZero();
    }

    @Test
    void aDatabaseTheLastReleaseMadeIsBaselinedAndKeepsItsRows() throws Exception {
        JdbcDataSource db = database("previous");
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(Files.readString(Path.of("src/test/resources/schema/previous-release.sql")));
            s.execute("INSERT INTO EVALUATION (ID, STATUS, SUBMITTEDAT, SOURCE) VALUES (7, 'DONE', "
                    + "CURRENT_TIMESTAMP, 'upload old.zip')");
            s.execute("INSERT INTO PROJECT (ID, NAME, PACKAGEBYTES, POSITION, STATUS, EVALUATION_ID) "
                    + "VALUES (3, 'old', 10, 0, 'DONE', 7)");
        }

        MigrateResult r = Migrations.migrate(db);

        assertThat(r.migrationsExecuted).as("nothing made again; the scripts after it applied").isEqualTo(5);
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            ResultSet history = s.executeQuery("SELECT \"version\" FROM \"flyway_schema_history\" "
                    + "WHERE \"type\" = 'BASELINE'");
            assertThat(history.next()).as("a baseline in the history").isTrue();
            assertThat(history.getString(1)).isEqualTo("1");
            ResultSet rows = s.executeQuery("SELECT SOURCE FROM EVALUATION WHERE ID = 7");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("upload old.zip");
        }
        assertEntitiesValidate(db);
        assertThat(Migrations.migrate(db).migrationsExecuted).isZero();
    }

    @Test
    void aDatabaseAtTheFirstMigrationGetsTheReportColumnsAndKeepsItsResults() throws Exception {
        JdbcDataSource db = database("v1");
        org.flywaydb.core.Flyway.configure(Migrations.class.getClassLoader()).dataSource(db)
                .locations(Migrations.LOCATION).target("1").load().migrate();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO EVALUATION (ID, STATUS, SUBMITTEDAT, SOURCE) VALUES (7, 'DONE', "
                    + "CURRENT_TIMESTAMP, 'upload old.zip')");
            s.execute("INSERT INTO PROJECT (ID, NAME, PACKAGEBYTES, POSITION, STATUS, EVALUATION_ID) "
                    + "VALUES (3, 'old', 10, 0, 'DONE', 7)");
            s.execute("INSERT INTO TEST_RESULT (ID, ATTEMPT, DURATION, MESSAGE, MODULE, NODEID, OUTCOME, RECORDEDAT, "
                    + "PROJECT_ID) VALUES (1, 1, 0.5, 'assert 1 == 2', 't.py', 't.py::t', 'FAILED', "
                    + "CURRENT_TIMESTAMP, 3)");
        }

        MigrateResult r = Migrations.migrate(db);

        assertThat(r.migrationsExecuted).isEqualTo(5);
        assertThat(r.targetSchemaVersion).isEqualTo("6");
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            ResultSet row = s.executeQuery("SELECT MESSAGE, LONGREPR, PHASE, FLAKY FROM TEST_RESULT WHERE ID = 1");
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("assert 1 == 2");
            assertThat(row.getString(2)).as("no report for a result recorded before reports").isNull();
            assertThat(row.getString(3)).isNull();
            assertThat(row.getBoolean(4)).as("not flaky: no rerun before reruns").isFalse();
        }
        assertEntitiesValidate(db);
    }

    @Test
    void aDatabaseFromANewerReleaseIsRefused() throws Exception {
        JdbcDataSource db = database("newer");
        Migrations.migrate(db);
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\", "
                    + "\"type\", \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\") "
                    + "VALUES (7, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 0, 'x', 1, TRUE)");
        }

        assertThatThrownBy(() -> Migrations.migrate(db)).isInstanceOf(FlywayException.class)
                .hasMessageContaining("99");
    }

    @Test
    void aDatabaseWhoseFolderSettingWasNotResolvedIsRefused() throws Exception {
        JdbcDataSource db = new JdbcDataSource();
        db.setURL("jdbc:h2:mem:${MPCONFIG=CDNODES_DATA_DIR}/db/cdnodes;DB_CLOSE_DELAY=-1");

        assertThatThrownBy(() -> Migrations.migrate(db)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("set CDNODES_DATA_DIR").hasMessageContaining("${MPCONFIG=CDNODES_DATA_DIR}");
    }

    /** Hibernate with {@code hbm2ddl.auto=validate}: fails when a table, column or sequence is missing or wrong. */
    private static void assertEntitiesValidate(JdbcDataSource db) {
        Configuration cfg = TestDatabases.entities()
                .setProperty("hibernate.connection.url", db.getURL())
                .setProperty("hibernate.connection.username", "cdnodes")
                .setProperty("hibernate.connection.password", "cdnodes")
                .setProperty("hibernate.hbm2ddl.auto", "validate");
        try (SessionFactory sf = cfg.buildSessionFactory()) {
            assertThat(sf.isOpen()).isTrue();
        }
    }
}
