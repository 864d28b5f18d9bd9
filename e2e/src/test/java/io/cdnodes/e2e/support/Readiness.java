package io.cdnodes.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Whether a coordinator is ready: its readiness probe ({@code /health/ready}, no key) answers 200 and lists the
 * coordinator's own check, {@code cdnodes}, as UP. A 200 alone says only that no check is DOWN: Payara answers UP
 * with no checks at all while the war is still deploying after the rar.
 */
public final class Readiness {

    private Readiness() {
    }

    /** Asks once; false when nothing answers yet. */
    public static boolean ready(HttpClient http, String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && ownCheckUp(r.body());
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether the probe's answer holds the coordinator's own check, UP. */
    public static boolean ownCheckUp(String body) {
        try {
            for (JsonNode check : new ObjectMapper().readTree(body).path("checks")) {
                if (check.path("name").asText().equals("cdnodes") && check.path("status").asText().equals("UP")) {
                    return true;
                }
            }
        } catch (IOException e) {
            // not JSON: not the probe yet
        }
        return false;
    }
}
