package io.cdnodes.web.evaluation;

import io.cdnodes.coordinator.access.ApiKeys;
import io.cdnodes.coordinator.access.Caller;
import io.cdnodes.coordinator.access.KeyRevocations;
import io.cdnodes.coordinator.evaluation.EvaluationSignals;
import io.cdnodes.coordinator.report.EvaluationQueries;
import io.cdnodes.coordinator.report.EvaluationViews;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Live progress of one evaluation as Server-Sent Events: a {@code result} event per test result (its
 * {@code id} is the result's sequence number, so a client reconnecting with {@code Last-Event-ID} resumes
 * where it stopped), a {@code progress} event (the evaluation without its tests) whenever it changed, and a
 * final {@code end} event when it is done, failed or cancelled. Each stream runs on the managed executor and
 * wakes when the dispatcher signals a change (or every second); it ends when the client goes away, when the
 * evaluation ends, when the caller's key is revoked (looked up again as {@link KeyRecheck} says: within a second of
 * a revocation here, within {@link KeyRecheck#EVERY} in any case), or after {@link #MAX_STREAM}.
 */
@ApplicationScoped
public class EvaluationEventStream {

    private static final System.Logger LOG = System.getLogger(EvaluationEventStream.class.getName());
    static final Duration MAX_STREAM = Duration.ofHours(12);
    private static final int BATCH = 500;
    private static final Duration PROGRESS_EVERY = Duration.ofMillis(250);

    @Resource
    private ManagedExecutorService executor;

    @EJB
    private EvaluationQueries queries;

    @Inject
    private EvaluationSignals signals;

    @EJB
    private ApiKeys keys;

    @Inject
    private KeyRevocations revocations;

    @Inject
    private Clock clock;

    /**
     * Streams the evaluation to the caller, whose key was valid when the request came in.
     *
     * @param caller who asked: the stream ends when its key no longer is valid
     */
    public void start(long evaluationId, long afterSeq, Caller caller, SseEventSink sink, Sse sse) {
        KeyRecheck recheck = new KeyRecheck(clock);
        executor.execute(() -> {
            try (sink) {
                stream(evaluationId, afterSeq, caller, recheck, sink, sse);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "evaluation=" + evaluationId + ": event stream ended", e);
            }
        });
    }

    private void stream(long id, long afterSeq, Caller caller, KeyRecheck recheck, SseEventSink sink, Sse sse)
            throws InterruptedException {
        long deadline = System.nanoTime() + MAX_STREAM.toNanos();
        long lastSeq = afterSeq;
        long lastProgress = 0;
        EvaluationViews.EvaluationView lastView = null;
        while (!sink.isClosed() && System.nanoTime() < deadline) {
            if (!keyStillValid(caller, recheck)) {
                LOG.log(System.Logger.Level.INFO, "evaluation={0}: event stream of key {1} closed: the key was revoked",
                        id, caller.name());
                return;
            }
            long version = signals.version(id);
            List<EvaluationViews.TestEvent> results = queries.resultsSince(id, lastSeq, BATCH);
            for (EvaluationViews.TestEvent r : results) {
                send(sink, sse.newEventBuilder().name("result").id(Long.toString(r.seq()))
                        .mediaType(MediaType.APPLICATION_JSON_TYPE).data(EvaluationViews.TestEvent.class, r).build());
                lastSeq = r.seq();
            }
            boolean ended = queries.status(id).terminal();
            // at most a few progress events a second: the elapsed time alone changes the view every time; the
            // view (aggregates over every result) is read only when it may be sent
            boolean due = System.nanoTime() - lastProgress >= PROGRESS_EVERY.toNanos();
            EvaluationViews.EvaluationView view = lastView == null || ended || due ? queries.get(id, false) : null;
            if (lastView == null || ended || due && !sameProgress(view, lastView)) {
                send(sink, sse.newEventBuilder().name("progress").mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(EvaluationViews.EvaluationView.class, view).build());
                lastView = view;
                lastProgress = System.nanoTime();
            }
            if (results.size() == BATCH) {
                continue;
            }
            if (ended) {
                send(sink, sse.newEventBuilder().name("end").mediaType(MediaType.TEXT_PLAIN_TYPE)
                        .data(String.class, view.status()).build());
                return;
            }
            signals.await(id, version, 1000);
        }
    }

    /** Whether the caller's key may go on reading, looked up only when {@link KeyRecheck} says it is due. */
    private boolean keyStillValid(Caller caller, KeyRecheck recheck) {
        long seen = revocations.count();
        if (!recheck.due(seen)) {
            return true;
        }
        if (!keys.stillValid(caller)) {
            return false;
        }
        recheck.stillValid(seen);
        return true;
    }

    private static boolean sameProgress(EvaluationViews.EvaluationView a, EvaluationViews.EvaluationView b) {
        return a.status().equals(b.status()) && a.progress().equals(b.progress()) && a.outcomes().equals(b.outcomes())
                && a.projects().equals(b.projects());
    }

    private static void send(SseEventSink sink, jakarta.ws.rs.sse.OutboundSseEvent event) throws InterruptedException {
        try {
            sink.send(event).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the client went away or stopped reading: end the stream
            try {
                sink.close();
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }
}
