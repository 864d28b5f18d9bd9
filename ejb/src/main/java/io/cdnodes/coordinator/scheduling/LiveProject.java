package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.ProjectStatus;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A project of an unfinished evaluation in the scheduler's memory: its status, its package, its open tasks, and
 * which of its node ids have a result already (the first result per node wins, decided here). Every change is kept
 * in the {@link Journal} first. Not thread-safe: owned by {@link LiveWork}.
 */
final class LiveProject {

    private final Journal journal;
    private final long id;
    private final long evaluationId;
    private final String name;
    private String packageId;
    private long packageBytes;
    private ProjectStatus status;
    private String reason;
    private Integer collectedCount;
    /** Node ids with a result. */
    private final Set<String> recorded;
    /** Of those, modules skipped as they were collected ({@code pytest.importorskip}): not collection errors. */
    private int modulesSkipped;
    private final Set<String> selection;
    /** Ids of its tasks that are not done, in the order they were made. */
    private final Set<Long> openTasks = new LinkedHashSet<>();
    /** Node ids that failed or errored and ran again ({@code reruns}), with how many attempts they have kept. */
    private final Map<String, Integer> keptAttempts;
    /** Node ids without a result whose rerun a task holds: that task's id. Only its result counts. */
    private final Map<String, Long> rerunBy = new HashMap<>();

    LiveProject(Journal journal, ProjectRow row, Set<String> recorded) {
        this(journal, row, recorded, null, Map.of());
    }

    /**
     * @param selection    the node ids to run of what its collection finds; null for all of them (never changes)
     * @param keptAttempts how many earlier attempts of each rerun node are kept
     */
    LiveProject(Journal journal, ProjectRow row, Set<String> recorded, Set<String> selection,
                Map<String, Integer> keptAttempts) {
        this.selection = selection;
        this.keptAttempts = new HashMap<>(keptAttempts);
        this.journal = journal;
        this.id = row.id();
        this.evaluationId = row.evaluationId();
        this.name = row.name();
        this.packageId = row.packageId();
        this.packageBytes = row.packageBytes();
        this.status = row.status();
        this.reason = row.reason();
        this.collectedCount = row.collectedCount();
        this.recorded = new HashSet<>(recorded);
    }

    /** Of the node ids its collection found, those it runs: its selection's (a rerun), in collection order. */
    List<String> selected(List<String> collected) {
        return selection == null ? collected : collected.stream().filter(selection::contains).toList();
    }

    ProjectRow row() {
        return new ProjectRow(id, evaluationId, name, packageId, packageBytes, status, reason, collectedCount);
    }

    long id() {
        return id;
    }

    long evaluationId() {
        return evaluationId;
    }

    String name() {
        return name;
    }

    String packageId() {
        return packageId;
    }

    ProjectStatus status() {
        return status;
    }

    String reason() {
        return reason;
    }

    /** How many results it has (during collection: its collection errors and skipped modules). */
    int resultCount() {
        return recorded.size();
    }

    /** Results of the collection that are errors: those not of a module skipped as it was collected. */
    int collectionErrors() {
        return recorded.size() - modulesSkipped;
    }

    /** A module was skipped as it was collected; its result was recorded. */
    void moduleSkipped() {
        keep();
        modulesSkipped++;
    }

    boolean hasResult(String nodeId) {
        return recorded.contains(nodeId);
    }

    /** Notes a result; false, noting nothing, when the node had one already (the first result wins). */
    boolean record(String nodeId) {
        if (recorded.contains(nodeId)) {
            return false;
        }
        journal.keep(recorded);
        if (rerunBy.containsKey(nodeId)) {
            journal.keep(rerunBy);
            rerunBy.remove(nodeId);
        }
        return recorded.add(nodeId);
    }

    /** How many earlier attempts of the node are kept (it failed or errored that often and ran again). */
    int keptAttempts(String nodeId) {
        return keptAttempts.getOrDefault(nodeId, 0);
    }

    /** The node failed or errored and runs again in task {@code taskId}; returns the number of the kept attempt. */
    int rerunBy(String nodeId, long taskId) {
        journal.keep(keptAttempts);
        journal.keep(rerunBy);
        rerunBy.put(nodeId, taskId);
        return keptAttempts.merge(nodeId, 1, Integer::sum);
    }

    /** As stored: the node's rerun is task {@code taskId} (its attempts are counted already). */
    void rerunning(String nodeId, long taskId) {
        journal.keep(rerunBy);
        rerunBy.put(nodeId, taskId);
    }

    /** The node's rerun moved from task {@code from} to task {@code to} (its worker was lost under it). */
    void rerunMoved(String nodeId, long from, long to) {
        Long by = rerunBy.get(nodeId);
        if (by != null && by == from) {
            journal.keep(rerunBy);
            rerunBy.put(nodeId, to);
        }
    }

    /**
     * Whether a report of the node from task {@code taskId} counts: not when another task runs it again (an
     * earlier batch, or its twin, is no longer heard for it).
     */
    boolean heardFrom(String nodeId, long taskId) {
        Long by = rerunBy.get(nodeId);
        return by == null || by == taskId;
    }

    Set<Long> openTasks() {
        return openTasks;
    }

    void opened(long taskId) {
        journal.keep(openTasks);
        openTasks.add(taskId);
    }

    void closed(long taskId) {
        journal.keep(openTasks);
        openTasks.remove(taskId);
    }

    void status(ProjectStatus s) {
        keep();
        status = s;
    }

    /** Its repository was fetched and packed: it waits for collection now. */
    void fetched(String id, long bytes) {
        keep();
        packageId = id;
        packageBytes = bytes;
        status = ProjectStatus.QUEUED;
    }

    void collected(int count) {
        keep();
        collectedCount = count;
    }

    /** Ends as failed, with the reason the user reads. */
    void fail(String why) {
        keep();
        status = ProjectStatus.FAILED;
        reason = why;
    }

    /** Ends as done, with a note (collection errors, no tests) or none. */
    void done(String note) {
        keep();
        status = ProjectStatus.DONE;
        reason = note;
    }

    private void keep() {
        if (journal.has(this)) {
            return;
        }
        ProjectRow was = row();
        int skippedWas = modulesSkipped;
        journal.keep(this, () -> {
            modulesSkipped = skippedWas;
            packageId = was.packageId();
            packageBytes = was.packageBytes();
            status = was.status();
            reason = was.reason();
            collectedCount = was.collectedCount();
        });
    }
}
