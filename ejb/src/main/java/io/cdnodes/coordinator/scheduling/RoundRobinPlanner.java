package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.results.NodeIds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The baseline plan: one batch per test module (file), in collection order, handed to the workers in
 * rotation. A module's tests stay together in one pytest process, so module-scoped fixtures behave as in a
 * plain run.
 */
public final class RoundRobinPlanner {

    /** A batch of node ids of one module, with the worker rotation gave it to (null: any worker). */
    public record Batch(List<String> nodeIds, String preferredWorker) {
        public Batch {
            nodeIds = List.copyOf(nodeIds);
        }
    }

    private RoundRobinPlanner() {
    }

    public static List<Batch> plan(List<String> nodeIds, List<String> workerNames) {
        Map<String, List<String>> modules = new LinkedHashMap<>();
        for (String id : nodeIds) {
            modules.computeIfAbsent(NodeIds.module(id), k -> new ArrayList<>()).add(id);
        }
        List<Batch> out = new ArrayList<>(modules.size());
        int i = 0;
        for (List<String> ids : modules.values()) {
            String worker = workerNames.isEmpty() ? null : workerNames.get(i % workerNames.size());
            out.add(new Batch(ids, worker));
            i++;
        }
        return out;
    }
}
