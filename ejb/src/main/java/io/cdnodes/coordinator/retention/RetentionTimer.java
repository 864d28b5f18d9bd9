package io.cdnodes.coordinator.retention;

import io.cdnodes.coordinator.config.CoordinatorSettings;
import io.cdnodes.coordinator.config.UsageLimits;
import io.cdnodes.coordinator.intake.PackageStore;
import io.cdnodes.coordinator.results.ResultFiles;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Applies the retention ({@code CDNODES_RETENTION_DAYS}) a minute after start and every hour after that, when it
 * is on: expired evaluations are deleted in batches (one transaction each), then their result files, then the
 * packages that nothing uses any more (see {@link RetentionPolicy}). Non-persistent: Payara Micro keeps persistent
 * timers in Hazelcast, and a sweep missed while the coordinator was down is simply done at the next start.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrations")
public class RetentionTimer {

    static final int BATCH = 50;
    private static final Duration FIRST = Duration.ofMinutes(1);
    private static final Duration EVERY = Duration.ofHours(1);
    private static final System.Logger LOG = System.getLogger(RetentionTimer.class.getName());

    @Resource
    private TimerService timers;

    @EJB
    private Retention retention;

    @Inject
    private UsageLimits limits;

    @Inject
    private CoordinatorSettings settings;

    @Inject
    private PackageStore store;

    @Inject
    private Clock clock;

    @PostConstruct
    void schedule() {
        if (limits.retention().isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "retention: off (CDNODES_RETENTION_DAYS); evaluations are kept");
            return;
        }
        LOG.log(System.Logger.Level.INFO, "retention: finished evaluations are deleted after {0} day(s)",
                limits.retention().get().toDays());
        TimerConfig config = new TimerConfig("cdnodes-retention", false);
        timers.createIntervalTimer(FIRST.toMillis(), EVERY.toMillis(), config);
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void sweep() {
        try {
            sweep(new RetentionPolicy(limits.retention(), clock));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "retention sweep failed; the next one tries again", e);
        }
    }

    private void sweep(RetentionPolicy policy) {
        Instant cutoff = policy.cutoff().orElseThrow();
        int evaluations = 0;
        Set<String> packages = new LinkedHashSet<>();
        while (true) {
            Retention.Deleted d = retention.deleteExpired(cutoff, BATCH);
            d.evaluations().forEach(this::deleteResultFiles);
            evaluations += d.evaluations().size();
            packages.addAll(d.packages());
            if (d.evaluations().size() < BATCH) {
                break;
            }
        }
        int deletedPackages = 0;
        for (String id : packages) {
            if (deletePackage(policy, id)) {
                deletedPackages++;
            }
        }
        if (evaluations > 0) {
            LOG.log(System.Logger.Level.INFO, "retention: deleted {0} evaluation(s) finished before {1}, and {2} "
                    + "package(s) nothing uses any more", evaluations, cutoff, deletedPackages);
        }
    }

    private boolean deletePackage(RetentionPolicy policy, String id) {
        try {
            if (retention.packageInUse(id)) {
                return false;
            }
            // the store checks the file's age again under its lock, against a submission reusing it right now
            return store.lastStored(id).map(at -> policy.packageDeletable(false, at)).orElse(false)
                    && store.deleteUnlessStoredSince(id, policy.packageUnusedSince());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "retention: package {0} not deleted: {1}", id, e.toString());
            return false;
        }
    }

    private void deleteResultFiles(long evaluationId) {
        for (Path file : ResultFiles.files(settings.resultsDir(), evaluationId)) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "evaluation={0}: result file {1} not deleted: {2}", evaluationId,
                        file.getFileName(), e.toString());
            }
        }
    }
}
