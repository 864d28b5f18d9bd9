package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.e2e.support.Api;
import io.cdnodes.e2e.support.Coordinator;
import io.cdnodes.e2e.support.Paths;
import io.cdnodes.e2e.support.Readiness;
import io.cdnodes.e2e.support.Zips;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a new user does: start a coordinator, watch {@code /health/ready}, and submit the very moment it reports the
 * coordinator's check UP. Every one of a burst of submissions sent at that instant is accepted (201), on each of
 * two fresh boots. (Payara itself answers {@code /health/ready} with UP and no checks, and then a bare 500, while
 * the war is still deploying after the rar: readiness is the {@code cdnodes} check being UP, which is what
 * {@code ./cdnodes}, the coordinator image's HEALTHCHECK and the harnesses wait for.)
 */
class ReadyMeansReadyIT {

    private static final int BURST = 8;

    @Test
    void submissionsSentTheInstantReadinessTurnsUpAreAccepted() throws Exception {
        byte[] zip = Zips.of(Paths.fixture("mixed"), "");
        for (int boot = 1; boot <= 2; boot++) {
            try (Coordinator c = new Coordinator(Map.of())) {
                Api api = new Api(c.url(), c.adminKey());
                ExecutorService pool = Executors.newFixedThreadPool(BURST + 1);
                try {
                    // the watcher polls from before the boot and fires the burst the instant the check is UP
                    Future<List<Api.Answer>> burst = pool.submit(() -> {
                        awaitOwnCheckUp(c.url(), Duration.ofMinutes(3));
                        List<CompletableFuture<Api.Answer>> sent = new ArrayList<>();
                        for (int i = 0; i < BURST; i++) {
                            int n = i;
                            sent.add(CompletableFuture.supplyAsync(() -> api.submitZip("ready-" + n + ".zip", zip,
                                    null), pool));
                        }
                        return sent.stream().map(CompletableFuture::join).toList();
                    });
                    c.start();
                    for (Api.Answer a : burst.get(4, TimeUnit.MINUTES)) {
                        assertThat(a.status()).as("boot %s: %s %s", boot, a.contentType(), a.body()).isEqualTo(201);
                    }
                    assertThat(api.get("/evaluation").body()).contains("ready-" + (BURST - 1) + ".zip");
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    /** Polls every 10 ms until the readiness probe holds the coordinator's own check, UP ({@link Readiness}). */
    private static void awaitOwnCheckUp(String url, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Readiness.ready(http, url)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("readiness never reported the coordinator's check UP");
            }
            Thread.sleep(10);
        }
    }
}
