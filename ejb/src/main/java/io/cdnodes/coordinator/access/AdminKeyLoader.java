package io.cdnodes.coordinator.access;

import io.cdnodes.coordinator.config.CoordinatorSettings;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Loads the admin key when the application starts, so that a key made on first start is on disk before the API
 * answers: {@code CDNODES_ADMIN_KEY} when set (read here and nowhere else, so that it is in no settings record
 * that might be printed), else {@code $CDNODES_DATA_DIR/admin.key}, made if missing. An unacceptable key stops
 * the deployment: a coordinator nobody can administer, or anyone could, must not start. Only the key's salted
 * hash is kept.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class AdminKeyLoader {

    static final String VARIABLE = "CDNODES_ADMIN_KEY";

    private static final System.Logger LOG = System.getLogger(AdminKeyLoader.class.getName());

    @Inject
    private CoordinatorSettings settings;

    private volatile AdminKey key;

    @PostConstruct
    void load() {
        Config config = ConfigProvider.getConfig();
        String configured = config.getOptionalValue(VARIABLE, String.class).map(String::strip).orElse("");
        SecureRandom random = new SecureRandom();
        if (!configured.isEmpty()) {
            try {
                key = AdminKey.of(configured, random);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(VARIABLE + " is not acceptable: " + e.getMessage(), e);
            }
            LOG.log(System.Logger.Level.INFO, "admin key: from " + VARIABLE);
            return;
        }
        Path file = settings.dataDir().resolve(AdminKeyFile.NAME);
        try {
            AdminKeyFile.Loaded loaded = AdminKeyFile.readOrCreate(file, random);
            key = AdminKey.of(loaded.key(), random);
            if (loaded.narrowed()) {
                LOG.log(System.Logger.Level.WARNING, "admin key: " + file + " was readable by others; now 0600");
            }
            LOG.log(System.Logger.Level.INFO, "admin key: " + (loaded.created() ? "made in " : "read from ") + file
                    + " (set " + VARIABLE + " to choose it)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or make the admin key " + file + ": " + e.getMessage(), e);
        }
    }

    /** The admin key's salted hash. */
    public AdminKey adminKey() {
        return key;
    }
}
