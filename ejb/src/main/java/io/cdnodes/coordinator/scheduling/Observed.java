package io.cdnodes.coordinator.scheduling;

import java.time.Duration;
import java.time.Instant;

/**
 * What the running of a project planned with no duration history shows so far, as the frames arrive (before
 * the results are recorded): how many results, their total duration, and whether a test is running now and
 * since when. Not thread-safe: kept in {@link BlindProjects}.
 */
final class Observed {

    private int results;
    private double seconds;
    private Instant runningSince;
    private boolean kickPending;

    /** Everything it holds, to put back after a rolled-back event. */
    record State(int results, double seconds, Instant runningSince, boolean kickPending) {
    }

    State state() {
        return new State(results, seconds, runningSince, kickPending);
    }

    void restore(State s) {
        results = s.results();
        seconds = s.seconds();
        runningSince = s.runningSince();
        kickPending = s.kickPending();
    }

    void started(Instant at) {
        runningSince = at;
    }

    void result(double duration) {
        results++;
        seconds += Math.max(0, duration);
        runningSince = null;
    }

    int results() {
        return results;
    }

    /** Mean duration of the results (0 when none). */
    double mean() {
        return results == 0 ? 0 : seconds / results;
    }

    /** How long the test running now has been running (zero when none is). */
    double runningFor(Instant now) {
        return runningSince == null ? 0 : Math.max(0, Duration.between(runningSince, now).toNanos() / 1e9);
    }

    /** Whether a look is already scheduled; takes the right to schedule one when not. */
    boolean scheduleLook() {
        if (kickPending) {
            return false;
        }
        kickPending = true;
        return true;
    }

    void looked() {
        kickPending = false;
    }
}
