package io.cdnodes.agent.run;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Where one assignment's time went on this worker, for the line the worker logs as it ends: waiting for a slot,
 * copying the project, starting pytest (a new interpreter, one started ahead, or a session kept from an earlier
 * assignment), pytest's collection, and the tests themselves (until the last record was read). What an operator
 * reads (at the end of the worker's line for the assignment) to see why a project took longer than its tests;
 * {@code bench/phases.py} adds these up.
 *
 * <p>Marks are taken on the slot's thread in the order the assignment passes them; a mark not reached (an
 * assignment that never started pytest) leaves its phase out of the line. Times come from {@code nanos}, a
 * monotonic clock ({@link System#nanoTime()} outside tests).
 */
final class AssignmentTimes {

    /** How pytest was there for the assignment. */
    enum Start {
        /** a serving session kept from an earlier assignment: nothing to start or collect */
        KEPT("kept session"),
        /** a new serving session on an interpreter started ahead ({@link WarmStarts}) */
        WARM("warm start"),
        /** a new serving session on a new interpreter */
        COLD("cold start"),
        /** a pytest process of the assignment's own ({@link OneShotRun}): start, collection and tests in one */
        ONE_SHOT("one-shot pytest");

        private final String words;

        Start(String words) {
            this.words = words;
        }
    }

    private final LongSupplier nanos;
    private final long received;
    private long slotted = -1;
    private long copied = -1;
    private long ready = -1;
    private long collectMillis = -1;
    private long ended = -1;
    private long oneShotFrom = -1;
    /**
     * For a one-shot pytest after a session that could not serve: how long that attempt took, and whether the
     * session was kept from before.
     */
    private long servedMillis = -1;
    private boolean kept;
    private Start start;

    AssignmentTimes(LongSupplier nanos) {
        this.nanos = nanos;
        this.received = nanos.getAsLong();
    }

    /** A slot took the assignment. */
    void slotted() {
        slotted = nanos.getAsLong();
    }

    /** The project's private copy is made (and its interpreter known): pytest starts now. */
    void copied() {
        copied = nanos.getAsLong();
    }

    /** How the new session's pytest was started. */
    void startedAs(Start how) {
        start = how;
    }

    /** A kept session takes the assignment: no copy, no start, no collection. */
    void kept() {
        copied = nanos.getAsLong();
        ready = copied;
        start = Start.KEPT;
    }

    /**
     * A new session had collected at {@code atNanos}; {@code collectMillis} is its own measure of the collection
     * (-1: unknown).
     */
    void ready(long atNanos, long collectMillis) {
        ready = atNanos;
        this.collectMillis = collectMillis;
    }

    /**
     * A one-shot pytest starts (its project copied): the assignment's own, or one that replaces a session that could
     * not serve, whose attempt is then a phase of its own.
     */
    void oneShot() {
        long now = nanos.getAsLong();
        if (copied < 0) {
            copied = now;
        } else if (start != null) {
            servedMillis = millis(copied, now);
            kept = start == Start.KEPT;
        }
        oneShotFrom = now;
        ready = -1;
        collectMillis = -1;
        start = Start.ONE_SHOT;
    }

    /** The assignment is done (its ASSIGNMENT_DONE is being sent): the summary stops here. */
    void ended() {
        ended = nanos.getAsLong();
    }

    /** The phases as words, up to its end or now: {@code "slot 0 ms, copy 3 ms, cold start 412 ms, collection 88 ms, ..."}. */
    String summary() {
        long now = ended >= 0 ? ended : nanos.getAsLong();
        List<String> parts = new ArrayList<>();
        if (slotted < 0) {
            parts.add("slot " + millis(received, now) + " ms (never started)");
            return String.join(", ", parts);
        }
        parts.add("slot " + millis(received, slotted) + " ms");
        if (copied < 0) {
            return String.join(", ", parts);
        }
        if (start != Start.KEPT && !kept) {
            parts.add("copy " + millis(slotted, copied) + " ms");
        }
        if (start == Start.ONE_SHOT) {
            if (servedMillis >= 0) {
                parts.add((kept ? "kept session" : "served attempt") + " " + servedMillis + " ms (not taken)");
            }
            parts.add(start.words + " " + millis(oneShotFrom, now) + " ms");
            return String.join(", ", parts);
        }
        if (start == Start.KEPT) {
            parts.add(start.words);
        } else if (start == null) {
            parts.add("pytest not started");
            return String.join(", ", parts);
        } else if (ready < 0) {
            parts.add(start.words + " " + millis(copied, now) + " ms (not ready)");
            return String.join(", ", parts);
        } else {
            long startup = millis(copied, ready);
            long collect = Math.min(Math.max(collectMillis, 0), startup);
            parts.add(start.words + " " + (startup - collect) + " ms");
            if (collectMillis >= 0) {
                parts.add("collection " + collect + " ms");
            }
        }
        parts.add("tests " + millis(ready, now) + " ms");
        return String.join(", ", parts);
    }

    private static long millis(long from, long to) {
        return Math.max(0, (to - from) / 1_000_000);
    }
}
