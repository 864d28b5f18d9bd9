package io.cdnodes.coordinator.scheduling;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default plan: collected tests grouped by {@link Granularity}, ordered longest first by their estimated
 * duration (longest processing time first keeps the long tests from ending up last), and cut into batches.
 * A batch is one pytest process, so each batch should hold enough work to pay for pytest's start-up, but not
 * so much that the last batches leave workers idle: the first batches aim at a share of the total that
 * shrinks towards the end, down to one group. A suite whose whole work would not pay for a pytest session on
 * every slot is cut into only as many batches as it pays for (a suite of many tiny tests runs in one or two
 * processes rather than in a process per slot, each collecting it all). Batches carry no worker: whichever
 * worker frees up first takes the next one.
 */
public final class DynamicPlanner {

    /**
     * How batches are cut.
     *
     * @param slots           pytest processes available at once (all workers' slots), at least 1
     * @param startupSeconds  what starting pytest costs, roughly; a batch shorter than a few of these wastes time
     * @param batchesPerSlot  how many batches each slot should get, so that the tail can even out
     * @param sessionSeconds  what a slot's first batch of a project costs beyond its tests (starting a pytest
     *                        session that collects the project); a suite shorter than this per slot is spread
     *                        over fewer slots. Zero spreads every suite over all slots.
     */
    public record Shape(int slots, double startupSeconds, int batchesPerSlot, double sessionSeconds) {
        public Shape {
            slots = Math.max(1, slots);
            startupSeconds = Math.max(0, startupSeconds);
            batchesPerSlot = Math.max(1, batchesPerSlot);
            sessionSeconds = Math.max(0, sessionSeconds);
        }

        public Shape(int slots, double startupSeconds, int batchesPerSlot) {
            this(slots, startupSeconds, batchesPerSlot, 0);
        }
    }

    /**
     * One batch: node ids in collection order, its estimated seconds, and whether it holds a group of several
     * tests that must run together (then, should any be left to run again, all are).
     */
    public record Batch(List<String> nodeIds, double estimate, boolean whole) {
        public Batch {
            nodeIds = List.copyOf(nodeIds);
        }
    }

    private DynamicPlanner() {
    }

    /** A plan for nodes that share no fixture (as with a worker that reports no scopes). */
    public static List<Batch> plan(List<String> nodeIds, Granularity granularity, DurationEstimates estimates,
                                   Shape shape) {
        return plan(nodeIds, Map.of(), granularity, estimates, shape);
    }

    /**
     * @param nodeIds     collected node ids, in collection order
     * @param scopes      the shared scope of each node that has one (see {@link Granularity#AUTO})
     * @param granularity what stays together
     */
    public static List<Batch> plan(List<String> nodeIds, Map<String, String> scopes, Granularity granularity,
                                   DurationEstimates estimates, Shape shape) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String id : nodeIds) {
            groups.computeIfAbsent(granularity.groupOf(id, scopes.getOrDefault(id, "")), k -> new ArrayList<>())
                    .add(id);
        }
        List<Group> ordered = new ArrayList<>();
        int position = 0;
        for (List<String> ids : groups.values()) {
            ordered.add(new Group(ids, ids.stream().mapToDouble(estimates::of).sum(), position++));
        }
        // longest first; equal estimates keep collection order
        ordered.sort(Comparator.comparingDouble(Group::estimate).reversed().thenComparingInt(Group::position));
        double remaining = ordered.stream().mapToDouble(Group::estimate).sum();
        int spread = shape.slots();
        if (remaining < shape.slots() * shape.sessionSeconds()) {
            spread = Math.max(1, (int) Math.floor(remaining / shape.sessionSeconds()));
        }
        // too little work for every slot: as many equal batches as slots it pays for
        double few = spread < shape.slots() ? remaining / spread : -1;
        List<Batch> batches = new ArrayList<>();
        int i = 0;
        while (i < ordered.size()) {
            double target = few >= 0 ? few
                    : Math.max(remaining / (shape.slots() * shape.batchesPerSlot()), 3 * shape.startupSeconds());
            List<Group> batch = new ArrayList<>();
            double sum = 0;
            do {
                Group g = ordered.get(i++);
                batch.add(g);
                sum += g.estimate();
            } while (i < ordered.size() && sum + ordered.get(i).estimate() <= target + 1e-9);
            remaining -= sum;
            batch.sort(Comparator.comparingInt(Group::position));
            List<String> ids = new ArrayList<>();
            batch.forEach(g -> ids.addAll(g.nodeIds()));
            batches.add(new Batch(ids, sum, batch.stream().anyMatch(g -> g.nodeIds().size() > 1)));
        }
        return batches;
    }

    /**
     * How many of a project's batches queued behind a picked one to take into it, once the project, planned with
     * no history at all, has shown how long its tests really take. Such a plan assumed {@link
     * DurationEstimates#UNKNOWN} seconds per test; with the observed mean, a batch should hold what the plan would
     * have given it had it known: a share of the work left that shrinks towards the end, and never less than a few
     * round trips' worth (a suite of many tiny tests would otherwise cost a round trip per handful of tests).
     * Batches are only ever joined, never split.
     *
     * @param picked    node ids in the picked batch
     * @param following node ids in each of the project's other pending batches that may be joined, in queue order
     * @param mean      observed mean seconds per test of the project in this run
     * @return how many of {@code following}, from the first, to join to the picked batch
     */
    public static int joinable(int picked, List<Integer> following, double mean, Shape shape) {
        long left = picked + following.stream().mapToLong(Integer::longValue).sum();
        double target = Math.max(left * mean / (shape.slots() * shape.batchesPerSlot()), 3 * shape.startupSeconds());
        long size = picked;
        int n = 0;
        while (n < following.size() && (size + following.get(n)) * mean <= target + 1e-9) {
            size += following.get(n++);
        }
        return n;
    }

    private record Group(List<String> nodeIds, double estimate, int position) {
    }
}
