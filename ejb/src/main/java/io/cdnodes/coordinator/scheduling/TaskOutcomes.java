package io.cdnodes.coordinator.scheduling;

import java.time.Duration;
import java.util.List;

/**
 * What a finished task means, decided from pytest's exit code the way pytest itself would report it.
 * pytest's exit codes: 0 all passed, 1 some failed, 2 interrupted (collection errors among the causes),
 * 3 internal error, 4 usage error, 5 no tests collected.
 */
public final class TaskOutcomes {

    /** What follows a collection. */
    public enum Next { RUN, DONE, FAILED }

    /** The verdict on a collection, with a note for the user (null when there is nothing to say). */
    public record Collection(Next next, String note) {
    }

    private TaskOutcomes() {
    }

    /**
     * @param exitCode        pytest's exit code for {@code --collect-only}, or a negative agent code
     * @param detail          pytest's own text for errors
     * @param nodeIds         what was collected
     * @param errorsRecorded  collection errors already recorded as results
     * @param pytestArgs      the user's arguments
     */
    public static Collection afterCollect(int exitCode, String detail, List<String> nodeIds, long errorsRecorded,
                                          List<String> pytestArgs) {
        boolean continueOnErrors = pytestArgs.contains("--continue-on-collection-errors");
        // pytest ends a collection with errors 2 (interrupted), or 1 with --continue-on-collection-errors; 0 and 5
        // say there were none, whatever was recorded (a module skipped as collected, on a collection run again)
        if (errorsRecorded > 0 && exitCode != 0 && exitCode != 5) {
            if (continueOnErrors && !nodeIds.isEmpty()) {
                return new Collection(Next.RUN, null);
            }
            return new Collection(Next.DONE, "Interrupted: " + errorsRecorded + " error" + (errorsRecorded == 1 ? "" : "s")
                    + " during collection; as pytest does, no test was run");
        }
        return switch (exitCode) {
            case 0 -> nodeIds.isEmpty() ? new Collection(Next.DONE, "no tests collected") : new Collection(Next.RUN, null);
            case 5 -> new Collection(Next.DONE, "no tests collected");
            case 3 -> new Collection(Next.FAILED, "pytest internal error during collection:\n" + detail);
            case 4 -> new Collection(Next.FAILED, "pytest usage error (check the pytest arguments):\n" + detail);
            case 2 -> new Collection(Next.FAILED, "pytest was interrupted during collection:\n" + detail);
            default -> new Collection(Next.FAILED, agentProblem("collection", exitCode, detail));
        };
    }

    /** The message recorded for node ids a finished RUN task did not report. */
    public static String missingResultMessage(int exitCode, String detail, Duration timeout) {
        if (exitCode == io.cdnodes.protocol.frame.AssignmentDone.EXIT_TIMEOUT) {
            return "not finished: the pytest process was stopped at its time limit of " + timeout.toSeconds() + " s";
        }
        return "no result reported: " + agentProblem("the run", exitCode, detail);
    }

    private static String agentProblem(String what, int exitCode, String detail) {
        String d = detail == null || detail.isBlank() ? "" : "\n" + detail;
        return switch (exitCode) {
            case io.cdnodes.protocol.frame.AssignmentDone.EXIT_TIMEOUT -> what + " was stopped at its time limit" + d;
            case io.cdnodes.protocol.frame.AssignmentDone.EXIT_NOT_STARTED -> "pytest could not be started" + d;
            case io.cdnodes.protocol.frame.AssignmentDone.EXIT_CANCELLED -> what + " was cancelled" + d;
            case io.cdnodes.protocol.frame.AssignmentDone.EXIT_PACKAGE_MISSING ->
                    "the project's package could not be delivered to a worker" + d;
            default -> "pytest ended " + what + " with exit code " + exitCode + d;
        };
    }
}
