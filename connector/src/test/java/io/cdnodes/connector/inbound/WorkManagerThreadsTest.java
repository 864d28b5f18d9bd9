package io.cdnodes.connector.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkAdapter;
import jakarta.resource.spi.work.WorkEvent;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;
import jakarta.resource.spi.work.WorkRejectedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The adapter's tasks on a work manager: named while they run, refused once when the manager will not run them. */
class WorkManagerThreadsTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "p: thread-pool-1"));
    private final List<String> refusals = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aTaskRunsOnThePoolUnderItsNameAndGivesTheThreadItsNameBack() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        List<String> namesSeen = new CopyOnWriteArrayList<>();
        new WorkManagerThreads(new PoolWorkManager(null)).start("cdproto-read-7", () -> {
            namesSeen.add(Thread.currentThread().getName());
            ran.countDown();
        }, refusals::add);

        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(namesSeen).containsExactly("cdproto-read-7");
        assertThat(pool.submit(() -> Thread.currentThread().getName()).get()).isEqualTo("p: thread-pool-1");
        assertThat(refusals).isEmpty();
    }

    @Test
    void aTaskTheManagerRefusesAtOnceIsReportedOnce() {
        WorkRejectedException full = new WorkRejectedException("no thread", WorkException.START_TIMED_OUT);
        new WorkManagerThreads(new PoolWorkManager(full)).start("cdproto-write-3", () -> {
            throw new AssertionError("a refused task must not run");
        }, refusals::add);

        await().atMost(Duration.ofSeconds(5)).until(() -> !refusals.isEmpty());
        assertThat(refusals).singleElement().asString().contains("no thread").contains(WorkException.START_TIMED_OUT);
    }

    /**
     * Runs work on the test's pool as a server's work manager does: {@code scheduleWork} returns at once,
     * {@code startWork} once the work has started, {@code doWork} once it has ended. Given a refusal, it tells the
     * listener that the work was rejected and then throws, as Payara's does for a synchronous rejection.
     */
    private final class PoolWorkManager implements WorkManager {

        private final WorkRejectedException refusal;

        PoolWorkManager(WorkRejectedException refusal) {
            this.refusal = refusal;
        }

        /** Hands the work to the pool; returns the latches of its start and its end. */
        private CountDownLatch[] submit(Work work, WorkListener given) throws WorkException {
            WorkListener listener = given == null ? new WorkAdapter() : given;
            if (refusal != null) {
                listener.workRejected(new WorkEvent(this, WorkEvent.WORK_REJECTED, work, refusal));
                throw refusal;
            }
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch ended = new CountDownLatch(1);
            listener.workAccepted(new WorkEvent(this, WorkEvent.WORK_ACCEPTED, work, null));
            pool.execute(() -> {
                listener.workStarted(new WorkEvent(this, WorkEvent.WORK_STARTED, work, null));
                started.countDown();
                try {
                    work.run();
                } finally {
                    ended.countDown();
                    listener.workCompleted(new WorkEvent(this, WorkEvent.WORK_COMPLETED, work, null));
                }
            });
            return new CountDownLatch[] {started, ended};
        }

        private static void await(CountDownLatch latch) throws WorkException {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WorkException(e);
            }
        }

        @Override
        public void scheduleWork(Work work, long startTimeout, ExecutionContext ctx, WorkListener listener)
                throws WorkException {
            submit(work, listener);
        }

        @Override
        public void scheduleWork(Work work) throws WorkException {
            submit(work, null);
        }

        @Override
        public long startWork(Work work, long startTimeout, ExecutionContext ctx, WorkListener listener)
                throws WorkException {
            long from = System.nanoTime();
            await(submit(work, listener)[0]);
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - from);
        }

        @Override
        public long startWork(Work work) throws WorkException {
            return startWork(work, INDEFINITE, null, null);
        }

        @Override
        public void doWork(Work work, long startTimeout, ExecutionContext ctx, WorkListener listener)
                throws WorkException {
            await(submit(work, listener)[1]);
        }

        @Override
        public void doWork(Work work) throws WorkException {
            doWork(work, INDEFINITE, null, null);
        }
    }
}
