package io.cdnodes.coordinator.schema;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import javax.sql.DataSource;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Migrates the database when the application starts, before the start-up beans that use it
 * ({@code @DependsOn("SchemaMigrations")}: the dispatcher, the timers). A failed migration fails the deployment:
 * a coordinator must not run on a schema it does not know.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigrations {

    private static final System.Logger LOG = System.getLogger(SchemaMigrations.class.getName());

    @Resource(lookup = "jdbc/cdnodes")
    private DataSource database;

    @PostConstruct
    void migrate() {
        MigrateResult r = Migrations.migrate(database);
        LOG.log(System.Logger.Level.INFO, "database schema at version {0} ({1} migration(s) applied now{2})",
                r.targetSchemaVersion != null ? r.targetSchemaVersion : r.initialSchemaVersion,
                String.valueOf(r.migrationsExecuted), r.initialSchemaVersion == null ? "" : ", was "
                        + r.initialSchemaVersion);
    }
}
