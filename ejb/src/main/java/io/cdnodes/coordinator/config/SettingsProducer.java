package io.cdnodes.coordinator.config;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Produces the settings, the usage limits and the clock once for the application. */
@ApplicationScoped
public class SettingsProducer {

    private CoordinatorSettings settings;
    private UsageLimits limits;

    @PostConstruct
    void init() {
        Config config = ConfigProvider.getConfig();
        this.settings = CoordinatorSettings.from(k -> config.getOptionalValue(k, String.class).orElse(null));
        this.limits = UsageLimits.from(k -> config.getOptionalValue(k, String.class).orElse(null));
    }

    @Produces
    public CoordinatorSettings settings() {
        return settings;
    }

    @Produces
    public UsageLimits limits() {
        return limits;
    }

    @Produces
    public Clock clock() {
        return Clock.systemUTC();
    }
}
