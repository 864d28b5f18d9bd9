package io.cdnodes.coordinator.scheduling;

/**
 * Where a project planned with no duration history may run while it is being found out. Its first batch goes to
 * the worker that collected it, whose pytest session is warm; other workers start a session of their own (the
 * interpreter, the imports, a collection of the whole project) only once that is known to pay: as soon as a
 * result, or a test that has been running a while, shows that the work left is worth a session on every slot;
 * or once enough results show how much it is worth; or when nothing told in time. A suite of many tiny tests then runs on one or a few sessions instead
 * of one per slot that each collect it all.
 */
final class SlowStart {

    /** How long a project may wait on its collector's session for a first result before it spreads anyway. */
    static final double PROBE_SECONDS = 1.0;
    /**
     * How long a test must have been running, as the coordinator sees it, before that alone says anything: frames
     * can reach a busy coordinator late, so a tiny test whose result is still on its way must not pass for a long one.
     */
    static final double RUNNING_TELLS_SECONDS = 0.25;
    /** How soon after a test of a project on probation starts the dispatcher looks again (it may be a long one). */
    static final long LOOK_MILLIS = Math.round(RUNNING_TELLS_SECONDS * 1000) + 10;

    /** Spread to every worker; or stay on {@code slots} slots (the collector's first). */
    record Decision(boolean decided, boolean everywhere, int slots) {
        static final Decision WAIT = new Decision(false, false, 0);
        static final Decision EVERYWHERE = new Decision(true, true, 0);

        static Decision on(int slots) {
            return new Decision(true, false, slots);
        }
    }

    private SlowStart() {
    }

    /**
     * Whether other projects' work of the same evaluation waits for every slot but the collector's. Spreading the
     * project now would start pytest sessions of its own (an interpreter, the imports, a collection of it all) on
     * slots that the waiting work needs, where each already pays one: a class of forty small projects runs each on
     * the session that collected it, as a teacher's four-at-a-time script would. The project stays on its
     * collector (as on probation) until that work has been handed out; then the rules below decide as usual.
     *
     * @param othersWaiting pending tasks of the evaluation's other projects that any worker may take
     */
    static boolean othersNeedTheSlots(long othersWaiting, DynamicPlanner.Shape shape) {
        return shape.slots() > 1 && othersWaiting >= shape.slots() - 1;
    }

    /** How long one test must have run for the work left to be worth a session on every slot. */
    static double runningToSpread(long pendingNodes, DynamicPlanner.Shape shape) {
        return pendingNodes == 0 ? PROBE_SECONDS : Math.max(RUNNING_TELLS_SECONDS,
                shape.slots() * Math.max(1e-3, shape.sessionSeconds()) / pendingNodes);
    }

    /**
     * @param results      results of the project so far
     * @param mean         their mean duration in seconds (any value when there are none)
     * @param runningFor   how long the test running now has been running, in seconds (0 when none is)
     * @param pendingNodes node ids of the project still waiting in the queue
     * @param waited       seconds since the project was planned
     * @param shape        the plan's shape ({@link DynamicPlanner.Shape#sessionSeconds()}: what a session costs)
     */
    static Decision decide(int results, double mean, double runningFor, long pendingNodes, double waited,
                           DynamicPlanner.Shape shape) {
        double session = Math.max(1e-3, shape.sessionSeconds());
        // the test running now counts with at least what it has taken so far, once that is long enough to be sure
        double running = runningFor >= RUNNING_TELLS_SECONDS ? runningFor : 0;
        int seen = results + (running > 0 ? 1 : 0);
        double atLeast = seen == 0 ? 0 : (mean * results + running) / seen;
        if (seen > 0 && pendingNodes * atLeast >= shape.slots() * session) {
            return Decision.EVERYWHERE;
        }
        if (results >= BlindProjects.RESULTS_TO_LEARN) {
            int slots = (int) Math.max(1, Math.floor(pendingNodes * mean / session));
            return slots >= shape.slots() ? Decision.EVERYWHERE : Decision.on(slots);
        }
        return waited >= PROBE_SECONDS ? Decision.EVERYWHERE : Decision.WAIT;
    }
}
