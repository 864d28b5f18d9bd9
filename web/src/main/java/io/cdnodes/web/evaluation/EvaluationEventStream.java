package io.cdnodes.web.evaluation;

import io.cdnodes.coordinator.access.ApiKeys;
import io.cdnodes.coordinator.access.Caller;
import io.cdnodes.coordinator.access.KeyRevocations;
import io.cdnodes.coordinator.evaluation.EvaluationSignals;
import io.cdnodes.coordinator.evaluation.EvaluationStatus;
import io.cdnodes.coordinator.report.EvaluationQueries;
import io.cdnodes.coordinator.report.EvaluationViews;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
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
        EventFeed feed = new EventFeed(new EventFeed.Source() {
            @Override
            public EvaluationStatus status() {
                return queries.status(id);
            }

            @Override
            public List<EvaluationViews.TestEvent> resultsSince(long after, int limit) {
                return queries.resultsSince(id, after, limit);
            }

            @Override
            public EvaluationViews.EvaluationView view() {
                return queries.get(id, false);
            }
        }, afterSeq);
        while (!sink.isClosed() && System.nanoTime() < deadline) {
            if (!keyStillValid(caller, recheck)) {
                LOG.log(System.Logger.Level.INFO, "evaluation={0}: event stream of key {1} closed: the key was revoked",
                        id, caller.name());
                return;
            }
            long version = signals.version(id);
            EventFeed.Step step = feed.next(System.nanoTime());
            for (EventFeed.Event event : step.events()) {
                send(sink, outbound(sse, event));
            }
            if (step.over()) {
                return;
            }
            if (!step.again()) {
                signals.await(id, version, 1000);
            }
        }
    }

    private static OutboundSseEvent outbound(Sse sse, EventFeed.Event event) {
        if (event instanceof EventFeed.Result r) {
            return sse.newEventBuilder().name("result").id(Long.toString(r.result().seq()))
                    .mediaType(MediaType.APPLICATION_JSON_TYPE).data(EvaluationViews.TestEvent.class, r.result())
                    .build();
        }
        if (event instanceof EventFeed.Progress p) {
            return sse.newEventBuilder().name("progress").mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(EvaluationViews.EvaluationView.class, p.view()).build();
        }
        return sse.newEventBuilder().name("end").mediaType(MediaType.TEXT_PLAIN_TYPE)
                .data(String.class, ((EventFeed.End) event).status()).build();
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

    private static void send(SseEventSink sink, OutboundSseEvent event) throws InterruptedException {
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
