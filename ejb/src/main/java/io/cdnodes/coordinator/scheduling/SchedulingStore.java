package io.cdnodes.coordinator.scheduling;

import io.cdnodes.coordinator.evaluation.RunOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the {@link Scheduler} reads from storage: the live work, once at start and for each evaluation it learns of,
 * and what it cannot hold in memory. Implemented by the dispatcher with JPA; by a map in the unit tests. Called only
 * within the scheduler's events, inside the caller's transaction.
 */
public interface SchedulingStore {

    /** Every evaluation that has not finished, with its projects and their tasks that are not done. */
    List<LiveLoad> unfinished();

    /** One evaluation, finished or not, with its projects and their tasks that are not done. */
    Optional<LiveLoad> evaluation(long evaluationId);

    /** The evaluation a project belongs to, finished or not, as {@link #evaluation} gives it. */
    Optional<LiveLoad> evaluationOfProject(long projectId);

    /**
     * Mean durations (seconds) of the tests of earlier projects of this name, by node id, leaving out results that
     * are errors and the project {@code excludingProjectId} itself.
     */
    Map<String, Double> durationHistory(String projectName, long excludingProjectId);

    /** The highest task id stored (0 when there is none): the scheduler numbers new tasks after it. */
    long maxTaskId();

    /**
     * An evaluation as stored.
     *
     * @param evaluation its progress
     * @param options    its run options
     * @param projects   its projects, in order
     */
    record LiveLoad(EvaluationRow evaluation, RunOptions options, List<ProjectLoad> projects) {
        public LiveLoad {
            projects = List.copyOf(projects);
        }
    }

    /**
     * A project as stored.
     *
     * @param project   the project
     * @param recorded  its node ids that have a result (empty for a project that has ended)
     * @param openTasks its tasks that are not done
     * @param selection the node ids to run of what its collection finds; null for all of them
     * @param attempts  how many earlier attempts are kept of each node that ran again ({@code reruns})
     */
    record ProjectLoad(ProjectRow project, Set<String> recorded, List<TaskRow> openTasks, Set<String> selection,
                       Map<String, Integer> attempts) {
        public ProjectLoad {
            recorded = Set.copyOf(recorded);
            openTasks = List.copyOf(openTasks);
            selection = selection == null ? null : Set.copyOf(selection);
            attempts = Map.copyOf(attempts);
        }

        /** A project that runs every test its collection finds. */
        public ProjectLoad(ProjectRow project, Set<String> recorded, List<TaskRow> openTasks) {
            this(project, recorded, openTasks, null, Map.of());
        }
    }
}
