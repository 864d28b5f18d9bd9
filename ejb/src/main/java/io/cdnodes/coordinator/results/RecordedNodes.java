package io.cdnodes.coordinator.results;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * Which node ids of recently active projects have a result, kept in memory so that recording a batch's results
 * does not ask the database each time. A project's set is loaded whole on first use (one query) and then kept
 * up to date by whoever records; the least recently used projects are dropped beyond {@link #MAX_PROJECTS}
 * and loaded again if they come back. After a rolled-back transaction the caller must {@link #clear()}, since
 * what it added may not be in the database. Not thread-safe.
 */
final class RecordedNodes {

    static final int MAX_PROJECTS = 256;

    private final Map<Long, Set<String>> byProject = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Set<String>> eldest) {
            return size() > MAX_PROJECTS;
        }
    };
    private final LongFunction<Collection<String>> load;

    /** @param load every node id of a project that has a result, from the database */
    RecordedNodes(LongFunction<Collection<String>> load) {
        this.load = load;
    }

    /** The project's recorded node ids (a live view: callers other than {@link #add} only read it). */
    Set<String> of(long projectId) {
        return byProject.computeIfAbsent(projectId, id -> new HashSet<>(load.apply(id)));
    }

    /** Notes that a result was recorded; false when the node already had one. */
    boolean add(long projectId, String nodeId) {
        return of(projectId).add(nodeId);
    }

    void clear() {
        byProject.clear();
    }
}
