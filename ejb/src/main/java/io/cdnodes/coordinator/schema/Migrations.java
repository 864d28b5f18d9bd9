package io.cdnodes.coordinator.schema;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings a database to the schema this release needs with the versioned scripts in {@code db/migration}
 * ({@code V1__schema.sql} is the schema as the last release before migrations made it with Hibernate's
 * {@code hbm2ddl}). A new, empty database gets every script. A database that release made (tables, no history) is
 * baselined at version 1, then gets the scripts after it. A database whose history says it is newer than this
 * release fails the start instead of being used.
 */
public final class Migrations {

    /** Where the scripts are, on the class path. */
    public static final String LOCATION = "classpath:db/migration";
    /** The version a database made before migrations is taken to be at. */
    static final String BASELINE = "1";

    private Migrations() {
    }

    /**
     * Migrates {@code database}; returns what was done. A database whose URL still holds a {@code ${...}} the server
     * did not resolve (no {@code CDNODES_DATA_DIR} where the domain's pool reads it) is refused: it would be a new,
     * empty database in a folder nobody chose.
     */
    public static MigrateResult migrate(DataSource database) {
        requireResolvedUrl(database);
        return Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(database)
                .locations(LOCATION)
                .baselineOnMigrate(true)
                .baselineVersion(BASELINE)
                .baselineDescription("schema made by hbm2ddl before migrations")
                .validateOnMigrate(true)
                // nothing ignored: an applied migration this release does not have (a newer release's) fails
                .ignoreMigrationPatterns(new String[0])
                .load()
                .migrate();
    }

    static void requireResolvedUrl(DataSource database) {
        String url;
        try (Connection c = database.getConnection()) {
            url = c.getMetaData().getURL();
        } catch (SQLException e) {
            throw new IllegalStateException("the database cannot be opened: " + e.getMessage(), e);
        }
        if (url != null && url.contains("${")) {
            throw new IllegalStateException("the database's URL was not resolved (" + url + "): set CDNODES_DATA_DIR "
                    + "for the server (environment, -D, or asadmin set-config-property --source=domain)");
        }
    }
}
