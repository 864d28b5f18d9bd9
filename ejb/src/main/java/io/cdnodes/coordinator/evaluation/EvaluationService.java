package io.cdnodes.coordinator.evaluation;

import io.cdnodes.coordinator.access.Caller;
import io.cdnodes.coordinator.access.Ownership;
import io.cdnodes.coordinator.config.CoordinatorSettings;
import io.cdnodes.coordinator.config.UsageLimits;
import io.cdnodes.coordinator.intake.IntakeException;
import io.cdnodes.coordinator.intake.PackageStore;
import io.cdnodes.coordinator.intake.ZipIntake;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Accepts submissions: checks and stores what was sent, then records the evaluation and queues its work. */
@Stateless
public class EvaluationService {

    private static final System.Logger LOG = System.getLogger(EvaluationService.class.getName());

    @PersistenceContext(unitName = "cdnodes")
    private EntityManager em;

    @Inject
    private Event<EvaluationRecorded> recorded;

    @Inject
    private Cancellation cancellation;

    @Inject
    private CoordinatorSettings settings;

    @Inject
    private UsageLimits limits;

    @Inject
    private PackageStore store;

    @Inject
    private Clock clock;

    /** The id of a new evaluation and the names of its projects. */
    public record Submitted(long id, String status, List<String> projects) {
    }

    /**
     * Refuses the caller's submission when its key has as many unfinished evaluations as it may have (see
     * {@link QueueLimit}); cheap, so that an upload can be refused before it is read. Submissions arriving together
     * may all pass it: the submission methods check again, one submission of a key at a time.
     *
     * @throws QueueFullException when the caller may not submit now
     */
    public void admit(Caller caller) {
        QueueLimit limit = new QueueLimit(limits.maxQueuedPerKey());
        if (limit.applies(caller)) {
            limit.check(caller, UnfinishedEvaluations.count(em, caller));
        }
    }

    /**
     * The cap, checked where it counts: in the transaction that records the submission, under the lock on the
     * caller's key ({@link UnfinishedEvaluations#countLocked}), which is held until that transaction ends.
     */
    private void admitForRecord(Caller caller) {
        QueueLimit limit = new QueueLimit(limits.maxQueuedPerKey());
        if (limit.applies(caller)) {
            limit.check(caller, UnfinishedEvaluations.countLocked(em, caller));
        }
    }

    /**
     * Accepts a zip upload.
     *
     * @param upload     the uploaded file (the caller deletes it afterwards)
     * @param uploadName the file name the client gave
     * @param options    the run options, already validated
     * @param caller     who submits it: the evaluation's owner
     * @throws IntakeException    when the upload is refused
     * @throws QueueFullException when the caller may not submit now
     */
    public Submitted submitZip(java.nio.file.Path upload, String uploadName, RunOptions options, Caller caller) {
        admit(caller);
        allowed(options);
        long started = System.nanoTime();
        List<ZipIntake.Accepted> projects = new ZipIntake(store, settings.unzipLimits()).accept(upload, uploadName,
                options.doctests());
        long unpacked = System.nanoTime();
        admitForRecord(caller); // after the intake: the key's lock is held only while the evaluation is recorded
        Instant now = clock.instant();
        Evaluation e = new Evaluation(now, "upload " + ZipIntakeNames.display(uploadName), OptionsJson.write(options),
                Ownership.ownerOfNew(caller));
        em.persist(e);
        int position = 0;
        for (ZipIntake.Accepted a : projects) {
            Project p = new Project(e, position++, a.name(), a.packageId(), a.bytes());
            em.persist(p);
            e.getProjects().add(p);
            if (!a.hasTests()) {
                p.fail("no test files (test_*.py or *_test.py) in this project");
            }
        }
        em.flush();
        LOG.log(System.Logger.Level.INFO, "evaluation={0}: accepted {1} project(s) from {2}, key {3}; unpacked and "
                        + "packaged in {4} ms, recorded in {5} ms", e.getId(), projects.size(), e.getSource(),
                e.getOwner(), (unpacked - started) / 1_000_000, (System.nanoTime() - unpacked) / 1_000_000);
        // the scheduler gives its projects their COLLECT tasks once this has committed
        recorded.fire(new EvaluationRecorded(e.getId()));
        return new Submitted(e.getId(), e.getStatus().wireName(), projects.stream().map(ZipIntake.Accepted::name).toList());
    }

    /** A repository submission recorded: the answer, and its projects' ids in order, each still to be fetched. */
    public record Recorded(Submitted submitted, List<Long> projectIds) {
    }

    /**
     * Records an evaluation whose projects are still to be fetched: status FETCHING, no package yet. The
     * caller fetches them once this has committed (see {@code RepositoryIntake}); nothing here holds a token.
     *
     * @param source what it came from, for people (URLs without credentials)
     * @param names  the projects' names, unique within the evaluation
     * @param caller who submits it: the evaluation's owner
     * @throws QueueFullException when the caller may not submit now
     */
    public Recorded submitRepositories(String source, List<String> names, RunOptions options, Caller caller) {
        allowed(options);
        admitForRecord(caller);
        Evaluation e = new Evaluation(clock.instant(), source, OptionsJson.write(options), Ownership.ownerOfNew(caller));
        em.persist(e);
        List<Project> projects = new java.util.ArrayList<>(names.size());
        for (String name : names) {
            Project p = Project.awaitingFetch(e, projects.size(), name);
            em.persist(p);
            e.getProjects().add(p);
            projects.add(p);
        }
        em.flush();
        return new Recorded(new Submitted(e.getId(), e.getStatus().wireName(), names),
                projects.stream().map(Project::getId).toList());
    }

    /**
     * Records a new evaluation of an ended one's packages, with its options: no upload, no fetch. With
     * {@code onlyFailed}, each project that had failed or errored tests runs only those (what {@code --lf} is to
     * pytest: it still collects, so a collection error comes back as one), and projects without any are left out;
     * otherwise every project that had files runs whole. Projects that never had files (a failed fetch) are left out.
     *
     * @param failed the failed and errored node ids of each project ({@code EvaluationQueries.failedNodes}), to run
     *               only those; null to run every test
     * @param caller who asks: the new evaluation's owner (the caller may see the old one: checked before)
     * @throws EvaluationNotFoundException when there is no such evaluation
     * @throws RerunRefusedException       when it is still running, or nothing is left to run
     * @throws QueueFullException          when the caller may not submit now
     */
    public Submitted rerun(long evaluationId, Map<Long, List<String>> failed, Caller caller) {
        boolean onlyFailed = failed != null;
        Evaluation original = em.find(Evaluation.class, evaluationId);
        if (original == null) {
            throw new EvaluationNotFoundException(evaluationId);
        }
        if (!original.getStatus().terminal()) {
            throw new RerunRefusedException("evaluation " + evaluationId + " is " + original.getStatus().wireName()
                    + ": rerun it once it has ended (or cancel it first)");
        }
        RunOptions options = OptionsJson.read(original.getOptionsJson());
        allowed(options);
        List<Project> from = original.getProjects().stream().filter(p -> p.getPackageId() != null)
                .filter(p -> !onlyFailed || failed.containsKey(p.getId())).toList();
        if (from.isEmpty()) {
            throw new RerunRefusedException(onlyFailed ? "no test failed or errored in evaluation " + evaluationId
                    : "no project of evaluation " + evaluationId + " has files to run");
        }
        admitForRecord(caller);
        Evaluation e = new Evaluation(clock.instant(), "rerun of evaluation " + evaluationId + " ("
                + (onlyFailed ? "failed" : "all") + ")", original.getOptionsJson(), Ownership.ownerOfNew(caller));
        em.persist(e);
        for (Project p : from) {
            Project again = new Project(e, e.getProjects().size(), p.getName(), p.getPackageId(), p.getPackageBytes());
            if (onlyFailed) {
                again.select(failed.get(p.getId()));
            }
            em.persist(again);
            e.getProjects().add(again);
        }
        em.flush();
        LOG.log(System.Logger.Level.INFO, "evaluation={0}: rerun of evaluation {1} ({2}), {3} project(s), key {4}",
                e.getId(), evaluationId, onlyFailed ? "failed tests" : "all tests", from.size(), e.getOwner());
        recorded.fire(new EvaluationRecorded(e.getId()));
        return new Submitted(e.getId(), e.getStatus().wireName(), from.stream().map(Project::getName).toList());
    }

    /**
     * Cancels an evaluation (see {@link Cancellation}).
     *
     * @return false when it had already finished
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public boolean cancel(long evaluationId) {
        return cancellation.cancel(evaluationId);
    }

    /** Refuses options this coordinator does not allow (the network, unless its administrator allows it). */
    private void allowed(RunOptions options) {
        try {
            options.allowedBy(settings.allowNetwork());
        } catch (IllegalArgumentException e) {
            throw new IntakeException(IntakeException.Kind.BAD_REQUEST, e.getMessage());
        }
    }

    /** How an upload's name is shown. */
    static final class ZipIntakeNames {
        private ZipIntakeNames() {
        }

        static String display(String name) {
            if (name == null || name.isBlank()) {
                return "(unnamed)";
            }
            String n = name.replace('\\', '/');
            n = n.substring(n.lastIndexOf('/') + 1);
            return n.length() > 200 ? n.substring(0, 200) : n;
        }
    }
}
