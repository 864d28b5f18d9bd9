package io.cdnodes.coordinator.intake;

import io.cdnodes.coordinator.config.CoordinatorSettings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * Produces the one package store of the application, in {@code CDNODES_DATA_DIR/packages}. Here rather than with
 * the settings, so that {@code config} depends on no feature package.
 */
@ApplicationScoped
public class PackageStoreProducer {

    @Inject
    private CoordinatorSettings settings;

    private PackageStore store;

    @PostConstruct
    void init() {
        store = new PackageStore(settings.packagesDir());
    }

    @Produces
    public PackageStore packageStore() {
        return store;
    }
}
