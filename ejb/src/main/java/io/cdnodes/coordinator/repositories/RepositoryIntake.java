package io.cdnodes.coordinator.repositories;

import io.cdnodes.coordinator.access.Caller;
import io.cdnodes.coordinator.config.CoordinatorSettings;
import io.cdnodes.coordinator.evaluation.EvaluationService;
import io.cdnodes.coordinator.evaluation.Project;
import io.cdnodes.coordinator.evaluation.ProjectStatus;
import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.coordinator.intake.IntakeException;
import io.cdnodes.coordinator.intake.PackageStore;
import io.cdnodes.coordinator.intake.ZipIntake;
import io.cdnodes.coordinator.dispatch.Dispatcher;
import io.cdnodes.coordinator.fetchpolicy.FetchPolicy;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Takes a submission of repositories: records the evaluation with its projects FETCHING (one short
 * transaction), answers, and fetches each repository afterwards, outside any transaction. Each fetched
 * repository goes through the same intake as an upload; each one that cannot be fetched fails its project
 * with a reason, and the others carry on. The dispatcher applies both outcomes under its lock.
 *
 * <p>Fetches wait in a queue here and run on the container's default managed executor, at most
 * {@link #PARALLEL_FETCHES} at once over all submissions. That executor (Payara's default: no core threads,
 * a hand-off queue, 200 threads at most) would start a thread for each of 500 repositories, or refuse them,
 * and dispatch rounds run on it too.
 *
 * <p>The token is captured by that submission's queued fetches and by nothing else; it is gone when they end.
 */
@ApplicationScoped
public class RepositoryIntake {

    /** Repositories fetched at once, over all submissions. */
    static final int PARALLEL_FETCHES = 4;

    private static final System.Logger LOG = System.getLogger(RepositoryIntake.class.getName());

    @Resource
    private ManagedExecutorService executor;

    @EJB
    private EvaluationService evaluations;

    @EJB
    private Dispatcher dispatcher;

    @Inject
    private CoordinatorSettings settings;

    @Inject
    private PackageStore store;

    @PersistenceContext(unitName = "cdnodes")
    private EntityManager em;

    private GitHubArchives github;
    private GitClones git;

    @PostConstruct
    void init() {
        FetchPolicy policy = new FetchPolicy(settings.fetchAllowHosts(), settings.fetchFileRoots(),
                FetchPolicy.Resolver.SYSTEM);
        github = new GitHubArchives(settings.githubApi(), settings.maxUploadBytes(), Duration.ofSeconds(15), policy);
        git = new GitClones(policy, settings.maxUploadBytes(), settings.unzipLimits());
        LOG.log(System.Logger.Level.INFO, "repositories are fetched from public addresses, listed hosts {0} and "
                + "file:// roots {1}", settings.fetchAllowHosts(), settings.fetchFileRoots());
    }

    /** One repository to fetch for one project. */
    private record Fetch(long evaluationId, long projectId, RepositoryUrl repo, String name) {
    }

    /** A fetch waiting for a runner, with what it needs: the token lives here until it has run. */
    private record Job(Fetch fetch, AccessToken token, RunOptions options) {
    }

    private final Queue<Job> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger runners = new AtomicInteger();

    /**
     * Records the submission and starts fetching its repositories; returns before any of them is fetched.
     *
     * @param caller who submits it: the evaluation's owner
     * @return the answer: the evaluation's id, status and project names
     */
    public EvaluationService.Submitted submit(RepositorySubmission request, Caller caller) {
        EvaluationService.Recorded recorded = evaluations.submitRepositories(request.source(), request.names(),
                request.options(), caller);
        long evaluationId = recorded.submitted().id();
        LOG.log(System.Logger.Level.INFO, "evaluation={0}: {1} repositor{2} to fetch, {3}", evaluationId,
                request.projects().size(), request.projects().size() == 1 ? "y" : "ies",
                request.token().present() ? "with a token" : "without a token");
        for (int i = 0; i < request.projects().size(); i++) {
            waiting.add(new Job(new Fetch(evaluationId, recorded.projectIds().get(i), request.projects().get(i),
                    request.names().get(i)), request.token(), request.options()));
        }
        startRunners();
        return recorded.submitted();
    }

    /** Starts runners until there are enough for the waiting fetches, or as many as allowed. */
    private void startRunners() {
        while (!waiting.isEmpty()) {
            int n = runners.get();
            if (n >= PARALLEL_FETCHES) {
                return;
            }
            if (!runners.compareAndSet(n, n + 1)) {
                continue;
            }
            try {
                executor.execute(this::run);
            } catch (RejectedExecutionException e) {
                runners.decrementAndGet();
                if (runners.get() == 0) {
                    refuseWaiting(); // nothing would ever run them
                }
                return;
            }
        }
    }

    private void run() {
        try {
            // an interrupted runner stops taking fetches; another thread takes over the rest
            while (!Thread.currentThread().isInterrupted()) {
                Job job = waiting.poll();
                if (job == null) {
                    break;
                }
                fetch(job.fetch(), job.token(), job.options());
            }
        } finally {
            runners.decrementAndGet();
        }
        // a fetch queued between the last poll and the decrement found every runner busy
        startRunners();
    }

    private void refuseWaiting() {
        LOG.log(System.Logger.Level.WARNING, "the managed executor refused to run repository fetches");
        for (Job job = waiting.poll(); job != null; job = waiting.poll()) {
            try {
                dispatcher.projectNotFetched(job.fetch().projectId(), "the coordinator was too busy or stopping "
                        + "when this repository was to be fetched; submit it again");
            } catch (RuntimeException e) {
                // stopping: the restart recovery fails it
                LOG.log(System.Logger.Level.WARNING, "evaluation={0} project={1}: not recorded as refused: {2}",
                        job.fetch().evaluationId(), job.fetch().projectId(), e.toString());
            }
        }
    }

    private void fetch(Fetch f, AccessToken token, RunOptions options) {
        long started = System.nanoTime();
        String reason;
        String detail = null;
        try {
            if (!stillFetching(f.projectId())) {
                return;
            }
            ZipIntake.Accepted a = fetchAndPack(f, token, options);
            dispatcher.projectFetched(f.projectId(), a.packageId(), a.bytes());
            LOG.log(System.Logger.Level.INFO, "evaluation={0} project={1}: fetched {2}: {3} files, {4} bytes, {5} ms",
                    f.evaluationId(), f.projectId(), f.repo().url(), a.files(), a.bytes(),
                    (System.nanoTime() - started) / 1_000_000);
            return;
        } catch (FetchFailure e) {
            reason = e.getMessage();
            detail = e.detail();
        } catch (IntakeException e) {
            reason = e.kind() == IntakeException.Kind.NO_TESTS ? e.getMessage()
                    : "the repository's files were refused: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = "the coordinator stopped while fetching this repository; submit it again";
        } catch (RuntimeException e) {
            reason = "fetching failed on the coordinator (see its log)";
            LOG.log(System.Logger.Level.ERROR, "evaluation=" + f.evaluationId() + " project=" + f.projectId()
                    + ": fetching " + f.repo().url() + " failed", token.scrubbed(e));
        } catch (OutOfMemoryError e) {
            // a git pack may declare an object far larger than itself, and JGit allocates the declared size as it
            // inflates it: that allocation failed. Without this the runner would die and leave the project fetching
            reason = "fetching failed on the coordinator: the repository needed more memory than it has";
            LOG.log(System.Logger.Level.ERROR, "evaluation=" + f.evaluationId() + " project=" + f.projectId()
                    + ": fetching " + f.repo().url() + " ran out of memory", token.scrubbed(e));
        }
        reason = token.scrub(reason);
        LOG.log(System.Logger.Level.INFO, "evaluation={0} project={1}: {2} not fetched: {3}{4}", f.evaluationId(),
                f.projectId(), f.repo().url(), reason, detail == null ? "" : " (" + token.scrub(detail) + ")");
        try {
            dispatcher.projectNotFetched(f.projectId(), reason);
        } catch (RuntimeException e) {
            // the restart recovery fails it later
            LOG.log(System.Logger.Level.ERROR, "evaluation=" + f.evaluationId() + " project=" + f.projectId()
                    + ": recording the failed fetch failed", token.scrubbed(e));
        }
    }

    private ZipIntake.Accepted fetchAndPack(Fetch f, AccessToken token, RunOptions options)
            throws FetchFailure, InterruptedException {
        Path scratch;
        try {
            scratch = store.scratch("fetch");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a scratch folder", e);
        }
        try {
            ZipIntake intake = new ZipIntake(store, settings.unzipLimits());
            if (f.repo().kind() == RepositoryUrl.Kind.GITHUB) {
                Path zip = github.download(f.repo(), token, scratch.resolve("repository.zip"), settings.fetchTimeout());
                return intake.acceptArchive(zip, f.name(), options.doctests());
            }
            Path dir = git.clone(f.repo(), token, scratch.resolve("clone"), settings.fetchTimeout());
            return intake.acceptFolder(dir, f.name(), options.doctests());
        } finally {
            store.discard(scratch);
        }
    }

    /** False when the project has ended meanwhile (its evaluation was cancelled): nothing to fetch then. */
    private boolean stillFetching(long projectId) {
        Project p = em.find(Project.class, projectId);
        return p != null && p.getStatus() == ProjectStatus.FETCHING;
    }
}
