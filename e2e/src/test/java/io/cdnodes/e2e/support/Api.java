package io.cdnodes.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;

/**
 * A client of the coordinator's HTTP API, as a user's program would be. It sends its API key as {@code
 * Authorization: Bearer <key>} with every request (none when it has no key).
 */
public final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An HTTP answer: status, content type, body. */
    public record Answer(int status, String contentType, String body, Map<String, List<String>> headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    private final String base;
    private final String key;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param key the API key to send; null sends none */
    public Api(String base, String key) {
        this.base = base;
        this.key = key;
    }

    /** Where the coordinator is: {@code http://host:port}. */
    public String base() {
        return base;
    }

    /** The API key this client sends; null when none. */
    public String key() {
        return key;
    }

    /** The same coordinator with another API key (null: none). */
    public Api withKey(String otherKey) {
        return new Api(base, otherKey);
    }

    /** The same coordinator without an API key. */
    public Api withoutKey() {
        return new Api(base, null);
    }

    /** Any method with a JSON body. */
    public Answer sendJson(String method, String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    /** POST /evaluation with the zip in the form field "file" (and options when not null). */
    public Answer submitZip(String filename, byte[] zip, String optionsJson) {
        String boundary = "cdnodes" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, boundary, "Content-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: application/zip", zip);
        if (optionsJson != null) {
            part(body, boundary, "Content-Disposition: form-data; name=\"options\"\r\nContent-Type: application/json",
                    optionsJson.getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return send(HttpRequest.newBuilder(URI.create(base + "/evaluation"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    private static void part(ByteArrayOutputStream body, String boundary, String headers, byte[] content) {
        body.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    public Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** POST /evaluation with a JSON body (a repository submission). */
    public Answer submitJson(String json) {
        return send(HttpRequest.newBuilder(URI.create(base + "/evaluation"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    /** Any method without a body. */
    public Answer send(String method, String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    /** Submits and returns the new evaluation's id, failing the test unless the answer is 201. */
    public long submitOk(String filename, byte[] zip, String optionsJson) {
        Answer a = submitZip(filename, zip, optionsJson);
        if (a.status() != 201) {
            throw new AssertionError("submission refused: " + a.status() + " " + a.body());
        }
        return a.json().get("id").asLong();
    }

    /** Waits until the evaluation has a final status and returns it with every test. */
    public JsonNode awaitFinished(long id, Duration timeout) {
        Awaitility.await("evaluation " + id + " to finish").atMost(timeout).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Answer a = get("/evaluation/" + id);
                    if (a.status() != 200) {
                        return false; // a coordinator restarting may answer before it is ready: ask again
                    }
                    JsonNode status = a.json().get("status");
                    if (status == null) {
                        throw new AssertionError("GET /evaluation/" + id + " answered without a status: " + a.body());
                    }
                    String s = status.asText();
                    return s.equals("done") || s.equals("failed") || s.equals("cancelled");
                });
        return get("/evaluation/" + id + "?tests=true").json();
    }

    /** Sends a request as built, adding the key. */
    public Answer send(HttpRequest.Builder request) {
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body(),
                    r.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
