package io.cdnodes.coordinator.dispatch;

import io.cdnodes.coordinator.evaluation.EvaluationRecorded;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Asks for a dispatch round on the container's managed executor (delayed ones timed by its managed scheduled
 * executor, which holds no thread while it waits). Requests that arrive while one is already
 * waiting to run are folded into it, so a burst of events costs one round, not one per event. Each round is a
 * {@link Round} CDI event that the {@link Dispatcher} observes (it does not inject the dispatcher). It also keeps the
 * evaluations recorded since the last round ({@link EvaluationRecorded}, observed once their transaction has
 * committed), for the round to hand to the scheduler.
 */
@ApplicationScoped
public class DispatchTrigger {

    private static final System.Logger LOG = System.getLogger(DispatchTrigger.class.getName());

    @Resource
    private ManagedExecutorService executor;

    @Resource
    private ManagedScheduledExecutorService scheduler;

    @Inject
    private Event<Round> rounds;

    private final Queue<Long> recorded = new ConcurrentLinkedQueue<>();

    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();

    /** How long received results may wait to be recorded together. */
    public static final long FLUSH_DELAY_MILLIS = 100;

    /** Asks for the buffered results to be recorded shortly (once per burst). */
    public void flushSoon() {
        if (!flushScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            // the scheduled executor only times it: the work itself runs on the managed executor, as rounds do
            scheduler.schedule(this::flush, FLUSH_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            flushScheduled.set(false);
            LOG.log(System.Logger.Level.WARNING, "result flush not scheduled: {0}", e.getMessage());
        }
    }

    private void flush() {
        try {
            executor.execute(() -> {
                flushScheduled.set(false);
                try {
                    rounds.fire(Round.FLUSH);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "recording results failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            flushScheduled.set(false);
            LOG.log(System.Logger.Level.WARNING, "result flush not scheduled: {0}", e.getMessage());
        }
    }

    /** An evaluation was recorded and committed: the next round gives its projects their collections. */
    void recorded(@Observes(during = TransactionPhase.AFTER_SUCCESS) EvaluationRecorded e) {
        recorded.add(e.evaluationId());
        kick();
    }

    /** The evaluations recorded since the last call. */
    List<Long> takeRecorded() {
        List<Long> out = new ArrayList<>();
        for (Long id = recorded.poll(); id != null; id = recorded.poll()) {
            out.add(id);
        }
        return out;
    }

    /** Asks for a dispatch round in {@code millis} (a decision that falls due then, with no event to wake it). */
    public void kickAfter(long millis) {
        try {
            scheduler.schedule(this::kick, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "delayed dispatch round not scheduled: {0}", e.getMessage());
        }
    }

    public void kick() {
        if (!scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::run);
        } catch (RejectedExecutionException e) {
            scheduled.set(false);
            LOG.log(System.Logger.Level.WARNING, "dispatch round not scheduled: {0}", e.getMessage());
        }
    }

    private void run() {
        scheduled.set(false);
        try {
            rounds.fire(Round.DISPATCH);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "dispatch round failed", e);
        }
    }
}
