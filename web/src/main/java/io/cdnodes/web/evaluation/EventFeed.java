package io.cdnodes.web.evaluation;

import io.cdnodes.coordinator.evaluation.EvaluationStatus;
import io.cdnodes.coordinator.report.EvaluationViews.EvaluationView;
import io.cdnodes.coordinator.report.EvaluationViews.TestEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one evaluation's event stream sends next, decided without a server: each {@link #next} looks at the
 * evaluation once and answers the events to send (every new result, a progress view when it changed and is due, the
 * end), whether to look again at once (a full batch was read), and whether the stream is over.
 *
 * <p>The status is read <em>before</em> the results. An evaluation's last results are committed no later than its
 * end, so once an ended status is seen every result is readable; read the other way round, results committed between
 * the two reads would be cut off by the end event.
 */
final class EventFeed {

    /** What the feed reads; in the server, {@code EvaluationQueries} for one evaluation. */
    interface Source {
        EvaluationStatus status();

        List<TestEvent> resultsSince(long afterSeq, int limit);

        EvaluationView view();
    }

    /** One event to send. */
    sealed interface Event permits Result, Progress, End {
    }

    /** A test result; its {@code seq} is the event id a client resumes from. */
    record Result(TestEvent result) implements Event {
    }

    /** The evaluation without its tests. */
    record Progress(EvaluationView view) implements Event {
    }

    /** The last event: the evaluation's final status. */
    record End(String status) implements Event {
    }

    /** What one look found: the events to send, whether to look again without waiting, whether it is over. */
    record Step(List<Event> events, boolean again, boolean over) {
    }

    static final int BATCH = 500;
    static final Duration PROGRESS_EVERY = Duration.ofMillis(250);

    private final Source source;
    private long lastSeq;
    private long lastProgressNanos;
    private EvaluationView lastView;

    /** @param afterSeq the last result the client has ({@code Last-Event-ID}), 0 for none */
    EventFeed(Source source, long afterSeq) {
        this.source = source;
        this.lastSeq = afterSeq;
    }

    /** @param nowNanos {@link System#nanoTime()} now: progress views go out at most every {@link #PROGRESS_EVERY} */
    Step next(long nowNanos) {
        List<Event> out = new ArrayList<>();
        boolean ended = source.status().terminal();
        List<TestEvent> results = source.resultsSince(lastSeq, BATCH);
        for (TestEvent r : results) {
            out.add(new Result(r));
            lastSeq = r.seq();
        }
        // the elapsed time alone changes the view every time: it is read only when it may be sent
        boolean due = lastView == null || nowNanos - lastProgressNanos >= PROGRESS_EVERY.toNanos();
        EvaluationView view = due || ended ? source.view() : null;
        if (view != null && (lastView == null || ended || !sameProgress(view, lastView))) {
            out.add(new Progress(view));
            lastView = view;
            lastProgressNanos = nowNanos;
        }
        if (results.size() == BATCH) {
            return new Step(out, true, false);
        }
        if (ended) {
            out.add(new End(view.status()));
            return new Step(out, false, true);
        }
        return new Step(out, false, false);
    }

    private static boolean sameProgress(EvaluationView a, EvaluationView b) {
        return a.status().equals(b.status()) && a.progress().equals(b.progress()) && a.outcomes().equals(b.outcomes())
                && a.projects().equals(b.projects());
    }
}
