package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.results.NodeIds;
import java.util.HashMap;
import java.util.Map;

/**
 * How long each test is expected to take, from history: a node's own mean duration in earlier runs of the
 * same project; else the mean of its file's tests; else a default. The default is the mean of everything
 * known for the project, or {@link #UNKNOWN} when nothing is.
 */
public final class DurationEstimates {

    /** Seconds assumed for a test of a project never seen before. */
    public static final double UNKNOWN = 0.5;

    private final Map<String, Double> byNode;
    private final Map<String, Double> byModule = new HashMap<>();
    private final double fallback;

    /** @param history node id → mean duration in seconds, for the project */
    public DurationEstimates(Map<String, Double> history) {
        this.byNode = Map.copyOf(history);
        Map<String, double[]> sums = new HashMap<>();
        double total = 0;
        for (Map.Entry<String, Double> e : history.entrySet()) {
            double[] s = sums.computeIfAbsent(NodeIds.module(e.getKey()), k -> new double[2]);
            s[0] += e.getValue();
            s[1]++;
            total += e.getValue();
        }
        sums.forEach((m, s) -> byModule.put(m, s[0] / s[1]));
        this.fallback = history.isEmpty() ? UNKNOWN : total / history.size();
    }

    public static DurationEstimates none() {
        return new DurationEstimates(Map.of());
    }

    public boolean knows(String nodeId) {
        return byNode.containsKey(nodeId);
    }

    public double of(String nodeId) {
        Double d = byNode.get(nodeId);
        if (d != null) {
            return d;
        }
        Double m = byModule.get(NodeIds.module(nodeId));
        return m != null ? m : fallback;
    }
}
