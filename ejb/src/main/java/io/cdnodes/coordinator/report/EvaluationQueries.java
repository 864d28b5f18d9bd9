package io.cdnodes.coordinator.report;

import io.cdnodes.coordinator.access.Caller;
import io.cdnodes.coordinator.access.Ownership;
import io.cdnodes.coordinator.evaluation.Evaluation;
import io.cdnodes.coordinator.evaluation.EvaluationNotFoundException;
import io.cdnodes.coordinator.evaluation.EvaluationStatus;
import io.cdnodes.coordinator.evaluation.Project;
import io.cdnodes.coordinator.evaluation.Task;
import io.cdnodes.coordinator.evaluation.TaskKind;
import io.cdnodes.coordinator.evaluation.TaskState;
import io.cdnodes.coordinator.report.EvaluationViews.EvaluationSummary;
import io.cdnodes.coordinator.report.EvaluationViews.EvaluationView;
import io.cdnodes.coordinator.report.EvaluationViews.ModuleView;
import io.cdnodes.coordinator.report.EvaluationViews.Outcomes;
import io.cdnodes.coordinator.report.EvaluationViews.Progress;
import io.cdnodes.coordinator.report.EvaluationViews.ProjectView;
import io.cdnodes.coordinator.report.EvaluationViews.TestView;
import io.cdnodes.coordinator.results.JunitXml;
import io.cdnodes.coordinator.results.Tally;
import io.cdnodes.coordinator.results.TestOutcome;
import io.cdnodes.coordinator.results.TestAttemptRecord;
import io.cdnodes.coordinator.results.TestResultRecord;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds the read models of evaluations from the database. Read-only. What it returns are view records and
 * documents, never an entity: nothing persistent leaves ejb.
 */
@Stateless
public class EvaluationQueries {

    /** The statuses of an evaluation that has ended. */
    private static final List<EvaluationStatus> ENDED = java.util.Arrays.stream(EvaluationStatus.values())
            .filter(EvaluationStatus::terminal).toList();

    @PersistenceContext(unitName = "cdnodes")
    private EntityManager em;

    @Inject
    private Clock clock;

    /** One page of a filtered list, and how many evaluations pass the filter in all. */
    public record Page(List<EvaluationSummary> evaluations, long total) {
    }

    /**
     * The evaluations the caller may see that pass the filter, newest first, one page of them: the database selects,
     * counts and pages them, and counts only the page's results. An owner named in the filter narrows an admin's list
     * only: any other key sees its own evaluations whatever it names.
     */
    public Page list(Caller caller, EvaluationFilter filter) {
        Optional<String> owner = Ownership.listedOwner(caller);
        StringBuilder where = new StringBuilder(" where 1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (owner.isPresent()) {
            where.append(" and e.owner = :o");
            params.put("o", owner.get());
        } else if (filter.owner() != null) {
            where.append(" and e.owner = :o");
            params.put("o", filter.owner());
        }
        if (!filter.statuses().isEmpty()) {
            where.append(" and e.status in :s");
            params.put("s", filter.statuses());
        }
        if (filter.source() != null) {
            where.append(" and lower(e.source) like :src escape '!'");
            params.put("src", "%" + filter.source().toLowerCase(java.util.Locale.ROOT).replace("!", "!!")
                    .replace("%", "!%").replace("_", "!_") + "%");
        }
        TypedQuery<Long> count = em.createQuery("select count(e) from Evaluation e" + where, Long.class);
        TypedQuery<Evaluation> select = em.createQuery("select e from Evaluation e" + where + " order by e.id desc",
                Evaluation.class).setFirstResult(filter.offset()).setMaxResults(filter.limit());
        params.forEach((k, v) -> {
            count.setParameter(k, v);
            select.setParameter(k, v);
        });
        List<Evaluation> page = select.getResultList();
        Map<Long, Tally> byProject = new HashMap<>();
        if (!page.isEmpty()) {
            for (Object[] row : em.createQuery("select r.project.id, r.outcome, count(r) from TestResultRecord r "
                    + "where r.project.evaluation.id in :ids group by r.project.id, r.outcome", Object[].class)
                    .setParameter("ids", page.stream().map(Evaluation::getId).toList()).getResultList()) {
                byProject.merge((Long) row[0], Tally.EMPTY.plus((TestOutcome) row[1], (Long) row[2]), Tally::plus);
            }
        }
        List<EvaluationSummary> out = new ArrayList<>(page.size());
        for (Evaluation e : page) {
            Tally total = Tally.EMPTY;
            List<Double> grades = new ArrayList<>();
            for (Project p : e.getProjects()) {
                Tally t = byProject.getOrDefault(p.getId(), Tally.EMPTY);
                total = total.plus(t);
                grades.add(Grades.project(p.getStatus(), t));
            }
            out.add(new EvaluationSummary(e.getId(), e.getStatus().wireName(), e.getSource(), str(e.getSubmittedAt()),
                    str(e.getFinishedAt()), e.getProjects().size(), Grades.mean(grades), Outcomes.of(total),
                    owner.isPresent() ? null : e.getOwner()));
        }
        return new Page(out, count.getSingleResult());
    }

    /** The failed and errored node ids of each of the evaluation's projects, by project id, in the order they came. */
    public Map<Long, List<String>> failedNodes(long evaluationId) {
        Map<Long, List<String>> failed = new HashMap<>();
        for (Object[] row : em.createQuery("select r.project.id, r.nodeId from TestResultRecord r where "
                        + "r.project.evaluation.id = :e and r.outcome in :bad order by r.id", Object[].class)
                .setParameter("e", evaluationId).setParameter("bad", List.of(TestOutcome.FAILED, TestOutcome.ERROR))
                .getResultList()) {
            failed.computeIfAbsent((Long) row[0], k -> new ArrayList<>()).add((String) row[1]);
        }
        return failed;
    }

    /**
     * The tests of the projects named {@code project} that flipped between passing and failing across the ended
     * evaluations the caller sees; empty when it sees no project of that name.
     */
    public Optional<FlakyTests.Report> flaky(String project, Caller caller) {
        Optional<String> owner = Ownership.listedOwner(caller);
        List<FlakyTests.Seen> results = seen(endedRows("select e.id, r.nodeId, r.outcome from TestResultRecord r "
                + "join r.project p join p.evaluation e", "r.id", project, owner));
        if (results.isEmpty()) {
            return Optional.empty();
        }
        // a test's earlier attempts (it failed and ran again) came before its result in the same evaluation
        List<FlakyTests.Seen> history = new ArrayList<>(seen(endedRows("select e.id, a.nodeId, a.outcome from "
                + "TestAttemptRecord a join a.project p join p.evaluation e", "a.id", project, owner)));
        history.addAll(results);
        history.sort(java.util.Comparator.comparingLong(FlakyTests.Seen::evaluationId));
        return Optional.of(FlakyTests.of(project, history));
    }

    /** The names of the projects in the ended evaluations the caller sees, in order, at most {@code limit}. */
    public List<String> projectNames(Caller caller, int limit) {
        Optional<String> owner = Ownership.listedOwner(caller);
        return withOwner(em.createQuery("select distinct p.name from Project p join p.evaluation e where e.status in "
                + ":ended" + (owner.isPresent() ? " and e.owner = :o" : "") + " order by p.name", String.class), owner)
                .setParameter("ended", ENDED).setMaxResults(limit).getResultList();
    }

    /**
     * The {@code top} slowest tests of the projects named {@code project} in the ended evaluations the caller sees,
     * with each one's durations over them; empty when it sees no project of that name.
     */
    public Optional<SlowestTests.Report> slowest(String project, Caller caller, int top) {
        List<SlowestTests.Seen> history = endedRows("select e.id, e.submittedAt, r.nodeId, r.outcome, r.duration "
                + "from TestResultRecord r join r.project p join p.evaluation e", "r.id", project,
                Ownership.listedOwner(caller)).stream()
                .map(row -> new SlowestTests.Seen((Long) row[0], str((Instant) row[1]), (String) row[2],
                        ((TestOutcome) row[3]).wireName(), (Double) row[4])).toList();
        return history.isEmpty() ? Optional.empty() : Optional.of(SlowestTests.of(project, history, top));
    }

    /**
     * The rows {@code select} (over {@code p}, a project, and {@code e}, its evaluation) finds for the projects named
     * {@code project} in the ended evaluations the caller sees, oldest evaluation first, then by {@code order}.
     */
    private List<Object[]> endedRows(String select, String order, String project, Optional<String> owner) {
        return withOwner(em.createQuery(select + " where p.name = :n and e.status in :ended"
                + (owner.isPresent() ? " and e.owner = :o" : "") + " order by e.id, " + order, Object[].class), owner)
                .setParameter("n", project).setParameter("ended", ENDED).getResultList();
    }

    private static List<FlakyTests.Seen> seen(List<Object[]> rows) {
        return rows.stream().map(row -> new FlakyTests.Seen((Long) row[0], (String) row[1], (TestOutcome) row[2]))
                .toList();
    }

    /**
     * Checks that the evaluation exists and that the caller may see it.
     *
     * @throws EvaluationNotFoundException when it does not exist or the caller may not see it: the same answer,
     *                                     so that a caller learns nothing about other keys' evaluations
     */
    public void requireVisible(long id, Caller caller) {
        List<String> owner = em.createQuery("select e.owner from Evaluation e where e.id = :id", String.class)
                .setParameter("id", id).getResultList();
        if (owner.isEmpty() || !Ownership.sees(caller, owner.get(0))) {
            throw new EvaluationNotFoundException(id);
        }
    }

    /** One evaluation in full; with {@code withTests}, every test's result too. */
    public EvaluationView get(long id, boolean withTests) {
        Evaluation e = em.find(Evaluation.class, id);
        if (e == null) {
            throw new EvaluationNotFoundException(id);
        }
        Map<Long, Map<String, Tally>> modules = new HashMap<>();
        for (Object[] row : em.createQuery("select r.project.id, r.module, r.outcome, count(r) from TestResultRecord r "
                + "where r.project.evaluation = :e group by r.project.id, r.module, r.outcome", Object[].class)
                .setParameter("e", e).getResultList()) {
            modules.computeIfAbsent((Long) row[0], k -> new TreeMap<>())
                    .merge((String) row[1], Tally.EMPTY.plus((TestOutcome) row[2], (Long) row[3]), Tally::plus);
        }
        Map<Long, Long> pending = new HashMap<>();
        for (Task t : em.createQuery("select t from Task t where t.project.evaluation = :e and t.state = :s "
                + "and t.kind = :k", Task.class).setParameter("e", e).setParameter("s", TaskState.PENDING)
                .setParameter("k", TaskKind.RUN).getResultList()) {
            pending.merge(t.getProject().getId(), (long) t.nodeIdList().size(), Long::sum);
        }
        Map<Long, List<TestView>> tests = withTests ? tests(e) : Map.of();
        List<ProjectView> projects = new ArrayList<>();
        Tally total = Tally.EMPTY;
        Progress progress = Progress.NONE;
        List<Double> grades = new ArrayList<>();
        for (Project p : e.getProjects()) {
            Map<String, Tally> m = modules.getOrDefault(p.getId(), Map.of());
            Tally t = m.values().stream().reduce(Tally.EMPTY, Tally::plus);
            Progress pr = progress(p, t, pending.getOrDefault(p.getId(), 0L));
            Double grade = Grades.project(p.getStatus(), t);
            List<ModuleView> mv = m.entrySet().stream().map(en -> new ModuleView(en.getKey(), en.getValue().executed(),
                    en.getValue().passedPercent(), en.getValue().failedPercent(), Outcomes.of(en.getValue()))).toList();
            projects.add(new ProjectView(p.getId(), p.getName(), p.getStatus().wireName(), p.getFailureReason(), grade,
                    t.passedPercent(), t.failedPercent(), pr, Outcomes.of(t), mv,
                    withTests ? tests.getOrDefault(p.getId(), List.of()) : null));
            total = total.plus(t);
            progress = progress.plus(pr);
            grades.add(grade);
        }
        Instant end = e.getFinishedAt() != null ? e.getFinishedAt() : clock.instant();
        double elapsed = Math.max(0, Duration.between(e.getSubmittedAt(), end).toMillis() / 1000.0);
        return new EvaluationView(e.getId(), e.getStatus().wireName(), e.getSource(), str(e.getSubmittedAt()),
                str(e.getStartedAt()), str(e.getFinishedAt()), elapsed, Grades.mean(grades), total.passedPercent(),
                total.failedPercent(), progress, Outcomes.of(total), projects);
    }

    /** The evaluation's results as JUnit XML (see {@link JunitXml}). */
    public String junitXml(long id) {
        return JunitXml.write(find(id), results(id));
    }

    /** All results of an evaluation, by project, in the order they arrived. */
    private Map<Long, List<TestResultRecord>> results(long evaluationId) {
        Map<Long, List<TestResultRecord>> out = new HashMap<>();
        for (TestResultRecord r : em.createQuery("select r from TestResultRecord r where r.project.evaluation.id = :e "
                + "order by r.id", TestResultRecord.class).setParameter("e", evaluationId).getResultList()) {
            out.computeIfAbsent(r.getProject().getId(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    /** Results of an evaluation recorded after the one numbered {@code afterSeq}, oldest first, at most {@code limit}. */
    public List<EvaluationViews.TestEvent> resultsSince(long evaluationId, long afterSeq, int limit) {
        return em.createQuery("select r from TestResultRecord r join fetch r.project p where p.evaluation.id = :e "
                + "and r.id > :after order by r.id", TestResultRecord.class).setParameter("e", evaluationId)
                .setParameter("after", afterSeq).setMaxResults(limit).getResultList().stream()
                .map(r -> new EvaluationViews.TestEvent(r.getId(), r.getProject().getName(), r.getNodeId(),
                        r.getOutcome().wireName(), r.getDuration(), r.getWorkerName(), r.getMessage()))
                .toList();
    }

    /**
     * The tests of an evaluation with this node id, each with its whole report and its project's name: one per
     * project that has it, or only that of {@code project} when it is not null.
     */
    public List<TestView> test(long evaluationId, String nodeId, String project) {
        TypedQuery<TestResultRecord> q = em.createQuery("select r from TestResultRecord r join fetch r.project p "
                        + "where p.evaluation.id = :e and r.nodeId = :n" + (project == null ? "" : " and p.name = :p")
                        + " order by p.id", TestResultRecord.class).setParameter("e", evaluationId)
                .setParameter("n", nodeId);
        if (project != null) {
            q.setParameter("p", project);
        }
        return q.getResultList().stream().map(r -> TestView.of(r.getProject().getName(), r,
                attempts(evaluationId, r.getProject().getId(), nodeId).getOrDefault(r.getProject().getId(), Map.of())
                        .getOrDefault(nodeId, List.of()))).toList();
    }

    /**
     * The earlier attempts of tests that ran again, by project and node id, oldest first: of the whole evaluation, or
     * of one project's node when {@code projectId} and {@code nodeId} are given.
     */
    private Map<Long, Map<String, List<EvaluationViews.AttemptView>>> attempts(long evaluationId, Long projectId,
                                                                              String nodeId) {
        TypedQuery<TestAttemptRecord> q = em.createQuery("select a from TestAttemptRecord a where "
                + (projectId == null ? "a.project.evaluation.id = :e" : "a.project.id = :p and a.nodeId = :n")
                + " order by a.project.id, a.nodeId, a.attemptNumber", TestAttemptRecord.class);
        if (projectId == null) {
            q.setParameter("e", evaluationId);
        } else {
            q.setParameter("p", projectId).setParameter("n", nodeId);
        }
        Map<Long, Map<String, List<EvaluationViews.AttemptView>>> out = new HashMap<>();
        for (TestAttemptRecord a : q.getResultList()) {
            out.computeIfAbsent(a.getProject().getId(), k -> new HashMap<>())
                    .computeIfAbsent(a.getNodeId(), k -> new ArrayList<>()).add(EvaluationViews.AttemptView.of(a));
        }
        return out;
    }

    /** The evaluation's status alone: cheap enough to read on every change. */
    public EvaluationStatus status(long id) {
        List<EvaluationStatus> s = em.createQuery("select e.status from Evaluation e where e.id = :id",
                EvaluationStatus.class).setParameter("id", id).getResultList();
        if (s.isEmpty()) {
            throw new EvaluationNotFoundException(id);
        }
        return s.get(0);
    }

    /** The evaluation entity with its projects, for exports. */
    private Evaluation find(long id) {
        Evaluation e = em.find(Evaluation.class, id);
        if (e == null) {
            throw new EvaluationNotFoundException(id);
        }
        e.getProjects().size();
        return e;
    }

    private Map<Long, List<TestView>> tests(Evaluation e) {
        Map<Long, List<TestView>> out = new HashMap<>();
        Map<Long, Map<String, List<EvaluationViews.AttemptView>>> attempts = attempts(e.getId(), null, null);
        results(e.getId()).forEach((pid, rs) -> out.put(pid, rs.stream().map(r -> TestView.of(null, r,
                attempts.getOrDefault(pid, Map.of()).getOrDefault(r.getNodeId(), List.of()))).toList()));
        return out;
    }

    private static Progress progress(Project p, Tally t, long pending) {
        if (p.getCollectedCount() == null) {
            return new Progress(0, t.executed(), 0, 0, false);
        }
        long total = Math.max(p.getCollectedCount(), t.executed());
        if (p.getStatus().terminal()) {
            // a finished project has nothing left to run (an interrupted collection runs nothing, as pytest)
            return new Progress(t.executed(), t.executed(), 0, 0, true);
        }
        long running = Math.max(0, total - t.executed() - pending);
        return new Progress(total, t.executed(), running, pending, true);
    }

    private static <T> TypedQuery<T> withOwner(TypedQuery<T> q, Optional<String> owner) {
        return owner.map(o -> q.setParameter("o", o)).orElse(q);
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }
}
