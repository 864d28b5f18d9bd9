package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdnodes.e2e.support.Api;
import io.cdnodes.e2e.support.Coordinator;
import io.cdnodes.e2e.support.SharedCoordinator;
import io.cdnodes.e2e.support.Zips;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API's keys, from outside: no key, a wrong key or a malformed header is a 401 on every endpoint; the admin
 * key makes, lists and revokes keys; a key sees only the evaluations it submitted (another's answer 404, exactly
 * as a missing one); a key may have only so many evaluations unfinished. No worker is connected while these run,
 * so what is submitted stays queued (and is cancelled at the end). {@link AdminKeyFileIT} covers the admin key made
 * on first start.
 */
@ExtendWith(SharedCoordinator.class)
class ApiKeysIT {

    private static final String MISSING = "987654321";
    private static final String PROJECT_ZIP_NAME = "keys.zip";

    @Test
    void everyEndpointRefusesARequestWithoutAValidKey(Coordinator c) {
        Api admin = c.api();
        long id = submitOk(admin);
        int before = admin.get("/evaluation").json().size();
        String unknownKey = "cdn_0123456789abcdef_" + "A".repeat(43);
        Map<String, Api> callers = new LinkedHashMap<>();
        callers.put("no header", admin.withoutKey());
        callers.put("an unknown key", admin.withKey(unknownKey));
        callers.put("a key of the wrong shape", admin.withKey("not-a-key"));
        callers.put("the admin key with one character changed", admin.withKey(flipLast(c.adminKey())));

        for (Map.Entry<String, Api> caller : callers.entrySet()) {
            for (Map.Entry<String, Function<Api, Api.Answer>> endpoint : endpoints(id).entrySet()) {
                Api.Answer a = endpoint.getValue().apply(caller.getValue());
                assertUnauthorized(a, caller.getKey() + ": " + endpoint.getKey());
            }
        }
        for (String header : List.of("Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer " + c.adminKey() + " extra",
                "Token " + c.adminKey())) {
            Api.Answer a = admin.withoutKey().send(HttpRequest.newBuilder(URI.create(c.url() + "/stats"))
                    .header("Authorization", header).GET());
            assertUnauthorized(a, header.split(" ")[0] + " header");
        }
        assertThat(admin.get("/evaluation").json().size()).as("nothing was submitted").isEqualTo(before);
        assertThat(admin.get("/evaluation/" + id).json().get("status").asText()).as("nothing was cancelled")
                .isEqualTo("queued");
        assertThat(admin.send("DELETE", "/evaluation/" + id).status()).isEqualTo(200);
    }

    @Test
    void healthNeedsNoKeyAndTellsNothingButUpOrDown(Coordinator c) {
        Api none = c.api().withoutKey();
        for (String path : List.of("/health/ready", "/health/live", "/health")) {
            Api.Answer a = none.get(path);
            assertThat(a.status()).as(path).isEqualTo(200);
            assertThat(a.json().get("status").asText()).as(path).isEqualTo("UP");
            for (JsonNode check : a.json().get("checks")) {
                // counts of evaluations and workers, listen addresses and socket paths are for key holders
                assertThat(check.fieldNames()).toIterable().as(path + ": " + check).isSubsetOf("name", "status", "data");
                assertThat(check.path("data")).as(path + ": " + check).isEmpty(); // Payara writes "data": {} regardless
            }
        }
        assertThat(none.get("/health/ready").json().get("checks")).as("the coordinator's own check")
                .anySatisfy(check -> assertThat(check.get("name").asText()).isEqualTo("cdnodes"));
    }

    @Test
    void theAdminKeyAloneMakesListsAndRevokesKeys(Coordinator c) throws Exception {
        Api admin = c.api();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String aliceName = "alice-" + suffix;
        String bobName = "bob-" + suffix;
        Api alice = admin.withKey(createKey(admin, aliceName));
        Api bob = admin.withKey(createKey(admin, bobName));

        assertProblem(admin.sendJson("POST", "/api-keys", "{\"name\": \"" + aliceName + "\"}"), 409, "key-name-taken");
        assertProblem(admin.sendJson("POST", "/api-keys", "{\"name\": \"admin\"}"), 409, "key-name-taken");
        assertProblem(admin.sendJson("POST", "/api-keys", "{\"name\": \"no spaces\"}"), 400, "bad-key-name");
        assertProblem(admin.sendJson("POST", "/api-keys", "{\"nom\": \"x\"}"), 400, "bad-request");
        Api.Answer listed = admin.get("/api-keys");
        assertThat(listed.status()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        for (JsonNode k : listed.json()) {
            names.add(k.get("name").asText());
            assertThat(k.fieldNames()).toIterable().containsOnly("name", "created_at");
        }
        assertThat(names).contains(aliceName, bobName).doesNotContain("admin");
        assertThat(listed.body()).doesNotContain("cdn_");
        assertProblem(alice.sendJson("POST", "/api-keys", "{\"name\": \"mallory-" + suffix + "\"}"), 403, "http-403");
        assertProblem(alice.get("/api-keys"), 403, "http-403");
        assertProblem(alice.send("DELETE", "/api-keys/" + bobName), 403, "http-403");
        assertThat(alice.get("/stats").status()).as("any valid key reads /stats").isEqualTo(200);
        assertThat(bob.get("/network").status()).as("and /network").isEqualTo(200);

        // revoking: bob's key stops working at once; his name stays taken; the admin key is not revocable here
        assertThat(admin.send("DELETE", "/api-keys/" + bobName).status()).isEqualTo(204);
        assertUnauthorized(bob.get("/stats"), "a revoked key");
        assertThat(alice.get("/stats").status()).isEqualTo(200);
        assertThat(admin.get("/api-keys").body()).doesNotContain(bobName).contains(aliceName);
        assertProblem(admin.send("DELETE", "/api-keys/" + bobName), 404, "no-such-key");
        assertProblem(admin.sendJson("POST", "/api-keys", "{\"name\": \"" + bobName + "\"}"), 409, "key-name-taken");
        assertProblem(admin.send("DELETE", "/api-keys/admin"), 409, "admin-key");
        assertThat(admin.get("/stats").status()).isEqualTo(200);
        assertNoKeyIn(c.dataDir(), List.of(c.adminKey(), alice.key(), bob.key()));
    }

    @Test
    void aRevokedKeysOpenEventStreamEnds(Coordinator c) throws Exception {
        Api admin = c.api();
        awaitNoWorkers(admin);
        String name = "frank-" + UUID.randomUUID().toString().substring(0, 8);
        Api frank = admin.withKey(createKey(admin, name));
        long id = submitOk(frank);
        HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(c.url() + "/evaluation/" + id + "/events")).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + frank.key()).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                in.lines().forEach(lines::add);
                ended.complete(null);
            } catch (IOException | java.io.UncheckedIOException e) {
                ended.completeExceptionally(e);
            }
        }, "events-" + name);
        reader.setDaemon(true);
        reader.start();
        try {
            Awaitility.await("the stream's first progress").atMost(Duration.ofSeconds(30))
                    .until(() -> lines.stream().anyMatch(l -> l.matches("event: ?progress")));
            assertThat(ended).as("a queued evaluation's stream stays open").isNotDone();

            assertThat(admin.send("DELETE", "/api-keys/" + name).status()).isEqualTo(204);

            Awaitility.await("the revoked key's stream ends").atMost(Duration.ofSeconds(30)).until(ended::isDone);
            assertThat(lines).noneMatch(l -> l.matches("event: ?end")); // closed, not ended
            assertUnauthorized(events(c, frank, id), "the revoked key opening the stream again");
        } finally {
            stream.body().close();
            admin.send("DELETE", "/evaluation/" + id);
        }
    }

    @Test
    void eachKeySeesOnlyTheEvaluationsItSubmitted(Coordinator c) throws Exception {
        Api admin = c.api();
        awaitNoWorkers(admin);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api alice = admin.withKey(createKey(admin, "alice-own-" + suffix));
        Api bob = admin.withKey(createKey(admin, "bob-own-" + suffix));

        long id = submitOk(alice);
        Api.Answer missing = bob.get("/evaluation/" + MISSING);
        assertThat(missing.status()).isEqualTo(404);
        String asIfMissing = missing.body().replace(MISSING, Long.toString(id));
        for (Api.Answer a : List.of(bob.get("/evaluation/" + id), bob.get("/evaluation/" + id + "?tests=true"),
                bob.get("/evaluation/" + id + "/junit.xml"), events(c, bob, id), bob.send("DELETE", "/evaluation/" + id))) {
            assertThat(a.status()).isEqualTo(404);
            assertThat(a.contentType()).startsWith("application/problem+json");
            assertThat(a.body()).isEqualTo(asIfMissing);
        }
        assertThat(ids(bob.get("/evaluation"))).isEmpty();
        assertThat(ids(alice.get("/evaluation"))).containsExactly(id);
        assertThat(ids(admin.get("/evaluation"))).contains(id);
        assertThat(alice.get("/evaluation/" + id).json().get("status").asText()).isEqualTo("queued");
        assertThat(admin.get("/evaluation/" + id).status()).isEqualTo(200);
        assertThat(alice.get("/evaluation/" + id + "/junit.xml").status()).isEqualTo(200);
        assertThat(events(c, alice, id).status()).isEqualTo(200);
        Api.Answer cancelled = alice.send("DELETE", "/evaluation/" + id);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");

        long adminsOwn = submitOk(admin);
        assertThat(ids(alice.get("/evaluation"))).doesNotContain(adminsOwn);
        assertThat(alice.get("/evaluation/" + adminsOwn).status()).isEqualTo(404);
        assertThat(admin.send("DELETE", "/evaluation/" + adminsOwn).status()).isEqualTo(200);
    }

    @Test
    void aKeyMayHaveOnlySoManyEvaluationsUnfinished(Coordinator c) {
        Api admin = c.api();
        awaitNoWorkers(admin);
        Api carol = admin.withKey(createKey(admin, "carol-" + UUID.randomUUID().toString().substring(0, 8)));
        List<Long> queued = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) { // CDNODES_MAX_QUEUED_PER_KEY's default
                queued.add(submitOk(carol));
            }
            Api.Answer refused = carol.submitZip(PROJECT_ZIP_NAME, project(), null);
            assertProblem(refused, 429, "too-many-queued");
            assertThat(refused.header("Retry-After")).isEqualTo("30");
            assertThat(refused.json().get("detail").asText()).contains("CDNODES_MAX_QUEUED_PER_KEY=50");
            Api.Answer refusedJson = carol.submitJson("{\"projects\": [\"https://github.com/cdnodes/nothing\"]}");
            assertProblem(refusedJson, 429, "too-many-queued");
            assertThat(ids(carol.get("/evaluation"))).hasSize(50);

            long adminsOwn = submitOk(admin); // the admin key is exempt
            assertThat(admin.send("DELETE", "/evaluation/" + adminsOwn).status()).isEqualTo(200);

            assertThat(carol.send("DELETE", "/evaluation/" + queued.remove(0)).status()).isEqualTo(200);
            queued.add(submitOk(carol)); // a finished one frees a place
        } finally {
            queued.forEach(id -> admin.send("DELETE", "/evaluation/" + id));
        }
    }

    @Test
    void submissionsArrivingTogetherStillStopAtTheCap(Coordinator c) throws Exception {
        Api admin = c.api();
        awaitNoWorkers(admin);
        Api dave = admin.withKey(createKey(admin, "dave-" + UUID.randomUUID().toString().substring(0, 8)));
        List<Long> queued = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(12);
        try {
            for (int i = 0; i < 47; i++) { // three places left under CDNODES_MAX_QUEUED_PER_KEY's default of 50
                queued.add(submitOk(dave));
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Api.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                answers.add(clients.submit(() -> {
                    go.await();
                    return dave.submitZip(PROJECT_ZIP_NAME, project(), null);
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Api.Answer> f : answers) {
                Api.Answer a = f.get(2, TimeUnit.MINUTES);
                statuses.add(a.status());
                if (a.status() == 201) {
                    queued.add(a.json().get("id").asLong());
                } else {
                    assertProblem(a, 429, "too-many-queued");
                }
            }
            // with no worker every earlier submission is still queued and exactly three get in; should a worker of
            // another test come back and finish some meanwhile, each one finished frees one more place
            List<String> earlier = new ArrayList<>();
            dave.get("/evaluation").json().forEach(e -> {
                if (queued.subList(0, 47).contains(e.get("id").asLong())) {
                    earlier.add(e.get("status").asText());
                }
            });
            long finished = earlier.stream().filter(s -> !s.equals("queued") && !s.equals("running")).count();
            long admitted = statuses.stream().filter(s -> s == 201).count();
            assertThat(admitted).as("admitted of %s; the earlier 47 are %s", statuses, earlier)
                    .isBetween(3L, 3L + finished);
            assertThat(ids(dave.get("/evaluation"))).hasSize((int) (47 + admitted));
        } finally {
            clients.shutdownNow();
            queued.forEach(id -> admin.send("DELETE", "/evaluation/" + id));
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** Every endpoint of the war, with whatever body it takes. */
    private static Map<String, Function<Api, Api.Answer>> endpoints(long id) {
        Map<String, Function<Api, Api.Answer>> out = new LinkedHashMap<>();
        out.put("POST /evaluation (zip)", api -> api.submitZip(PROJECT_ZIP_NAME, project(), null));
        out.put("POST /evaluation (json)", api -> api.submitJson("{\"projects\": [\"https://github.com/o/r\"]}"));
        out.put("GET /evaluation", api -> api.get("/evaluation"));
        out.put("GET /evaluation/{id}", api -> api.get("/evaluation/" + id + "?tests=true"));
        out.put("GET /evaluation/{missing}", api -> api.get("/evaluation/" + MISSING));
        out.put("GET /evaluation/{id}/junit.xml", api -> api.get("/evaluation/" + id + "/junit.xml"));
        out.put("GET /evaluation/{id}/events", api -> api.send(HttpRequest.newBuilder(URI.create(api.base()
                + "/evaluation/" + id + "/events")).header("Accept", "text/event-stream").GET()));
        out.put("DELETE /evaluation/{id}", api -> api.send("DELETE", "/evaluation/" + id));
        out.put("GET /stats", api -> api.get("/stats"));
        out.put("GET /network", api -> api.get("/network"));
        out.put("GET /api-keys", api -> api.get("/api-keys"));
        out.put("POST /api-keys", api -> api.sendJson("POST", "/api-keys", "{\"name\": \"intruder\"}"));
        out.put("DELETE /api-keys/{name}", api -> api.send("DELETE", "/api-keys/intruder"));
        out.put("GET /metrics", api -> api.get("/metrics"));
        out.put("GET /openapi", api -> api.get("/openapi"));
        out.put("GET /no-such-path", api -> api.get("/no-such-path"));
        return out;
    }

    private static void assertUnauthorized(Api.Answer a, String what) {
        assertThat(a.status()).as(what + ": " + a.body()).isEqualTo(401);
        assertThat(a.contentType()).as(what).startsWith("application/problem+json");
        assertThat(a.header("WWW-Authenticate")).as(what).startsWith("Bearer");
        assertThat(a.json().get("type").asText()).as(what).isEqualTo("urn:cdnodes:problem:unauthorized");
        assertThat(a.json().get("status").asInt()).as(what).isEqualTo(401);
    }

    private static void assertProblem(Api.Answer a, int status, String slug) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.contentType()).startsWith("application/problem+json");
        assertThat(a.json().get("type").asText()).isEqualTo("urn:cdnodes:problem:" + slug);
        assertThat(a.json().get("detail").asText()).isNotBlank();
    }

    private static String createKey(Api admin, String name) {
        Api.Answer a = admin.sendJson("POST", "/api-keys", "{\"name\": \"" + name + "\"}");
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(a.header("Location")).endsWith("/api-keys/" + name);
        assertThat(a.json().get("name").asText()).isEqualTo(name);
        String key = a.json().get("key").asText();
        assertThat(key).matches("cdn_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
        return key;
    }

    private static long submitOk(Api api) {
        return api.submitOk(PROJECT_ZIP_NAME, project(), null);
    }

    private static byte[] project() {
        return Zips.entries(List.of(Map.entry("tests/test_k.py", "def test_k():\n    assert True\n")));
    }

    private static List<Long> ids(Api.Answer list) {
        assertThat(list.status()).isEqualTo(200);
        List<Long> out = new ArrayList<>();
        list.json().forEach(e -> out.add(e.get("id").asLong()));
        return out;
    }

    /** Opens the event stream and reads only its status and headers (a queued evaluation's stream stays open). */
    private static Api.Answer events(Coordinator c, Api api, long id) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(c.url() + "/evaluation/" + id + "/events"))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(30)).GET();
        if (api.key() != null) {
            req.header("Authorization", "Bearer " + api.key());
        }
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        String type = r.headers().firstValue("content-type").orElse("");
        String body = "";
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return new Api.Answer(r.statusCode(), type, body, r.headers().map());
    }

    /** The workers of other tests are gone, so that what is submitted here stays queued. */
    private static void awaitNoWorkers(Api admin) {
        Awaitility.await("no worker connected").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> admin.get("/stats").json().get("nodes").isEmpty());
    }

    private static String flipLast(String key) {
        char last = key.charAt(key.length() - 1);
        return key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');
    }

    /**
     * No key in any file under the coordinator's folder (logs, database, result files), but the admin key's own
     * file. Payara rewrites its files as it runs: one that vanishes between listing and reading is skipped.
     */
    static void assertNoKeyIn(Path dir, List<String> keys) throws IOException {
        assertThat(dir.resolve("db/cdnodes.mv.db")).isRegularFile();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() && !f.equals(dir.resolve("admin.key"))) {
                    String content;
                    try {
                        content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    } catch (NoSuchFileException gone) {
                        return FileVisitResult.CONTINUE;
                    }
                    for (String key : keys) {
                        assertThat(content.contains(key)).as("%s holds a key", f).isFalse();
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
