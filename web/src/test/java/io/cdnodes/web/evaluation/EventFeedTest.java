package io.cdnodes.web.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.evaluation.EvaluationStatus;
import io.cdnodes.coordinator.report.EvaluationViews.EvaluationView;
import io.cdnodes.coordinator.report.EvaluationViews.Outcomes;
import io.cdnodes.coordinator.report.EvaluationViews.Progress;
import io.cdnodes.coordinator.report.EvaluationViews.TestEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventFeedTest {

    /**
     * An evaluation in a database: its results and status, which {@link #commit} changes together. Each read
     * of the results may let the dispatcher commit what it holds right after it, as a race would.
     */
    private static final class Evaluation implements EventFeed.Source {
        private final List<TestEvent> results = new ArrayList<>();
        private EvaluationStatus status = EvaluationStatus.RUNNING;
        private final List<Runnable> afterNextRead = new ArrayList<>();
        int views;

        void commit(EvaluationStatus newStatus, TestEvent... rs) {
            results.addAll(List.of(rs));
            status = newStatus;
        }

        @Override
        public EvaluationStatus status() {
            return status;
        }

        @Override
        public List<TestEvent> resultsSince(long afterSeq, int limit) {
            List<TestEvent> out = results.stream().filter(r -> r.seq() > afterSeq).limit(limit).toList();
            List<Runnable> pending = List.copyOf(afterNextRead);
            afterNextRead.clear();
            pending.forEach(Runnable::run);
            return out;
        }

        @Override
        public EvaluationView view() {
            views++;
            return new EvaluationView(1, status.name().toLowerCase(), "upload", null, null, null, 0, null, 0, 0,
                    new Progress(results.size(), results.size(), 0, 0, true), new Outcomes(results.size(), 0, 0, 0, 0, 0),
                    List.of());
        }
    }

    private static TestEvent result(long seq) {
        return new TestEvent(seq, "p", "tests/test_a.py::test_" + seq, "passed", 0.1, "w", null);
    }

    private static List<Object> drain(EventFeed feed, long[] now) {
        List<Object> sent = new ArrayList<>();
        for (int looks = 0; looks < 20; looks++) {
            EventFeed.Step step = feed.next(now[0]);
            now[0] += EventFeed.PROGRESS_EVERY.toNanos();
            sent.addAll(step.events());
            if (step.over()) {
                return sent;
            }
        }
        throw new AssertionError("the stream did not end: " + sent);
    }

    @Test
    void theLastResultsCommittedWithTheEndAreSentBeforeTheEnd() {
        Evaluation e = new Evaluation();
        e.commit(EvaluationStatus.RUNNING, result(1));
        EventFeed feed = new EventFeed(e, 0);
        EventFeed.Step look = feed.next(0);
        assertThat(look.over()).isFalse();
        List<Object> sent = new ArrayList<>(look.events());
        // the last result and the end are committed just after the feed has read the results
        e.afterNextRead.add(() -> e.commit(EvaluationStatus.DONE, result(2)));
        sent.addAll(drain(feed, new long[] {EventFeed.PROGRESS_EVERY.toNanos()}));

        assertThat(sent).filteredOn(EventFeed.Result.class::isInstance)
                .extracting(ev -> ((EventFeed.Result) ev).result().seq()).containsExactly(1L, 2L);
        assertThat(sent).last().isEqualTo(new EventFeed.End("done"));
    }

    @Test
    void aClientResumingAfterAnIdGetsOnlyTheResultsAfterIt() {
        Evaluation e = new Evaluation();
        e.commit(EvaluationStatus.DONE, result(1), result(2), result(3));
        List<Object> sent = drain(new EventFeed(e, 2), new long[] {0});

        assertThat(sent).filteredOn(EventFeed.Result.class::isInstance)
                .extracting(ev -> ((EventFeed.Result) ev).result().seq()).containsExactly(3L);
        assertThat(sent).last().isEqualTo(new EventFeed.End("done"));
    }

    @Test
    void aFullBatchIsFollowedAtOnceAndTheEndComesAfterTheLastBatch() {
        Evaluation e = new Evaluation();
        for (long seq = 1; seq <= EventFeed.BATCH + 1; seq++) {
            e.results.add(result(seq));
        }
        e.status = EvaluationStatus.DONE;
        EventFeed feed = new EventFeed(e, 0);

        EventFeed.Step first = feed.next(0);
        assertThat(first.again()).isTrue();
        assertThat(first.over()).isFalse();
        assertThat(first.events()).filteredOn(EventFeed.Result.class::isInstance).hasSize(EventFeed.BATCH);
        EventFeed.Step second = feed.next(1);
        assertThat(second.over()).isTrue();
        assertThat(second.events()).filteredOn(EventFeed.Result.class::isInstance).hasSize(1);
    }

    @Test
    void progressGoesOutWhenItChangedAndIsDueOnly() {
        Evaluation e = new Evaluation();
        EventFeed feed = new EventFeed(e, 0);
        assertThat(feed.next(0).events()).hasOnlyElementsOfType(EventFeed.Progress.class).hasSize(1);

        e.commit(EvaluationStatus.RUNNING, result(1));
        EventFeed.Step early = feed.next(EventFeed.PROGRESS_EVERY.toNanos() / 2);
        assertThat(early.events()).hasSize(1).first().isInstanceOf(EventFeed.Result.class);
        int viewsRead = e.views;

        EventFeed.Step due = feed.next(EventFeed.PROGRESS_EVERY.toNanos());
        assertThat(due.events()).hasSize(1).first().isInstanceOf(EventFeed.Progress.class);
        assertThat(e.views).isEqualTo(viewsRead + 1);

        EventFeed.Step unchanged = feed.next(3 * EventFeed.PROGRESS_EVERY.toNanos());
        assertThat(unchanged.events()).isEmpty();
        assertThat(unchanged.over()).isFalse();
    }
}
