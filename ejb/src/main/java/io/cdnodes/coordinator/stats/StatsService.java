package io.cdnodes.coordinator.stats;

import io.cdnodes.connector.api.ConnectionInfo;
import io.cdnodes.connector.api.WorkerGateway;
import io.cdnodes.coordinator.results.TestOutcome;
import io.cdnodes.coordinator.workers.WorkerGateways;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Answers {@code /stats}, {@code /network} and {@code /network/nodes}. Read-only. */
@Stateless
public class StatsService {

    @PersistenceContext(unitName = "cdnodes")
    private EntityManager em;

    @Inject
    private WorkerGateways gateways;

    @jakarta.inject.Inject
    private io.cdnodes.coordinator.dispatch.BackupPairs backups;

    @jakarta.inject.Inject
    private io.cdnodes.coordinator.workers.ConnectedWorkers connected;

    @jakarta.inject.Inject
    private java.time.Clock clock;

    /** The workers connected now, longest connected first. */
    public List<NodeView> nodesNow() {
        return connected.all().stream().map(NodeView::of).toList();
    }

    /** The workers connected now, longest connected first, then those gone lately, most recently gone first. */
    public List<NodeView> nodesNowAndGone() {
        return java.util.stream.Stream.concat(connected.all().stream(), connected.recentlyGone(clock.instant()).stream())
                .map(NodeView::of).toList();
    }

    public Map<String, List<String>> network() {
        try (WorkerGateway g = gateways.open()) {
            return NetworkMap.of(g.listenAddresses(), g.connections(), backups.pairs().stream()
                    .map(b -> Map.entry(b.primary(), b.backup())).toList());
        }
    }

    public StatsView stats() {
        long passed = 0;
        long failed = 0;
        for (Object[] row : em.createQuery("select r.outcome, count(r) from TestResultRecord r group by r.outcome",
                Object[].class).getResultList()) {
            TestOutcome o = (TestOutcome) row[0];
            long n = (Long) row[1];
            if (o == TestOutcome.PASSED || o == TestOutcome.XPASSED) {
                passed += n;
            } else if (o == TestOutcome.FAILED || o == TestOutcome.ERROR) {
                failed += n;
            }
        }
        long projects = em.createQuery("select count(p) from Project p", Long.class).getSingleResult();
        long evaluations = em.createQuery("select count(e) from Evaluation e", Long.class).getSingleResult();
        List<ConnectionInfo> connected;
        try (WorkerGateway g = gateways.open()) {
            connected = g.connections();
        }
        return new StatsView(new StatsView.All(failed, passed, projects, evaluations), nodes(connected));
    }

    private List<StatsView.Node> nodes(List<ConnectionInfo> connected) {
        if (connected.isEmpty()) {
            return List.of();
        }
        Set<String> names = new HashSet<>();
        connected.forEach(c -> names.add(c.workerName()));
        Map<String, long[]> counts = new HashMap<>();
        for (Object[] row : em.createQuery("select r.workerName, r.outcome, count(r) from TestResultRecord r "
                + "where r.workerName in :n group by r.workerName, r.outcome", Object[].class)
                .setParameter("n", names).getResultList()) {
            long[] c = counts.computeIfAbsent((String) row[0], k -> new long[2]);
            TestOutcome o = (TestOutcome) row[1];
            if (o == TestOutcome.PASSED || o == TestOutcome.XPASSED) {
                c[0] += (Long) row[2];
            } else if (o == TestOutcome.FAILED || o == TestOutcome.ERROR) {
                c[1] += (Long) row[2];
            }
        }
        Map<String, Set<Long>> projects = new HashMap<>();
        Map<String, Set<String>> modules = new HashMap<>();
        Map<String, Set<Long>> evaluations = new HashMap<>();
        for (Object[] row : em.createQuery("select distinct r.workerName, r.project.id, r.module, r.project.evaluation.id "
                + "from TestResultRecord r where r.workerName in :n", Object[].class)
                .setParameter("n", names).getResultList()) {
            String w = (String) row[0];
            projects.computeIfAbsent(w, k -> new HashSet<>()).add((Long) row[1]);
            modules.computeIfAbsent(w, k -> new HashSet<>()).add(row[1] + "/" + row[2]);
            evaluations.computeIfAbsent(w, k -> new TreeSet<>()).add((Long) row[3]);
        }
        List<StatsView.Node> out = new ArrayList<>();
        for (ConnectionInfo c : connected) {
            String w = c.workerName();
            long[] pf = counts.getOrDefault(w, new long[2]);
            out.add(new StatsView.Node(c.remoteAddress(), pf[1], pf[0], projects.getOrDefault(w, Set.of()).size(),
                    modules.getOrDefault(w, Set.of()).size(), new ArrayList<>(evaluations.getOrDefault(w, Set.of()))));
        }
        return out;
    }
}
