package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdnodes.e2e.support.Api;
import io.cdnodes.e2e.support.Coordinator;
import io.cdnodes.e2e.support.Paths;
import io.cdnodes.e2e.support.SharedCoordinator;
import io.cdnodes.e2e.support.WorkerAgent;
import io.cdnodes.e2e.support.Zips;
import io.cdnodes.protocol.codec.FrameDecoder;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.frame.Frame;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What users and peers get wrong: each gets a clear refusal and nothing else is harmed. */
@ExtendWith(SharedCoordinator.class)
class BadInputIT {

    @Test
    void uploadsThatCannotRunAreRefusedWithProblemJsonAndStoreNothing(Coordinator c) {
        Api api = c.api();
        int before = api.get("/evaluation").json().size();

        assertProblem(api.submitZip("notes.zip", "this is not a zip".getBytes(StandardCharsets.UTF_8), null),
                400, "not-a-zip");
        assertProblem(api.submitZip("empty.zip", Zips.entries(List.of()), null), 400, "empty-zip");
        assertProblem(api.submitZip("docs.zip", Zips.entries(List.of(Map.entry("README.md", "# hello"),
                Map.entry("src/app.py", "print('hi')\n"))), null), 422, "no-tests");
        JsonNode slip = assertProblem(api.submitZip("slip.zip", Zips.entries(List.of(
                Map.entry("tests/test_ok.py", "def test_ok():\n    pass\n"),
                Map.entry("../evil.py", "import os\n"))), null), 400, "unsafe-entry");
        assertThat(slip.get("entry").asText()).isEqualTo("../evil.py");
        assertThat(slip.get("detail").asText()).contains("../evil.py");
        JsonNode absolute = assertProblem(api.submitZip("abs.zip", Zips.entries(List.of(
                Map.entry("/etc/test_x.py", "def test_x():\n    pass\n"))), null), 400, "unsafe-entry");
        assertThat(absolute.get("entry").asText()).isEqualTo("/etc/test_x.py");
        assertThat(assertProblem(api.submitZip("ok.zip", Zips.of(Paths.fixture("mixed"), ""), "{\"pytest_args\": \"-x\"}"),
                400, "bad-request").get("detail").asText()).isEqualTo("options.pytest_args must be an array of strings");
        assertThat(assertProblem(api.submitZip("ok.zip", Zips.of(Paths.fixture("mixed"), ""),
                "{\"env\": {\"1A\": \"x\"}, \"strategy\": \"fastest\"}"), 400, "bad-request").get("detail").asText())
                .isEqualTo("options.env holds '1A', which is not a valid variable name; "
                        + "options.strategy must be one of [dynamic, round-robin]: fastest");
        assertProblem(api.get("/evaluation/987654321"), 404, "not-found");

        assertThat(api.get("/evaluation").json().size()).as("nothing was stored").isEqualTo(before);
    }

    @Test
    void aPeerSendingGarbageIsDisconnectedAndTheWorkersCarryOn(Coordinator c) throws Exception {
        Api api = c.api();
        try (WorkerAgent worker = c.worker("garbage-witness", false)) {
            worker.awaitConnected(Duration.ofSeconds(60));

            List<Frame> answer = new ArrayList<>();
            try (Socket s = new Socket("127.0.0.1", c.protoPort())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                InputStream in = s.getInputStream();
                FrameDecoder decoder = new FrameDecoder();
                byte[] buf = new byte[4096];
                int n;
                while ((n = in.read(buf)) > 0) {
                    answer.addAll(decoder.feed(buf, 0, n));
                }
                assertThat(n).as("the coordinator closed the connection").isEqualTo(-1);
            }
            assertThat(answer).hasSize(1);
            assertThat(((ErrorFrame) answer.get(0)).code()).isEqualTo(ErrorCode.MALFORMED_FRAME);

            long id = api.submitOk("small.zip", Zips.entries(List.of(
                    Map.entry("tests/test_small.py", "def test_one():\n    assert True\n\ndef test_two():\n    assert 1 == 2\n"))),
                    null);
            JsonNode ev = api.awaitFinished(id, Duration.ofMinutes(3));
            assertThat(ev.get("status").asText()).isEqualTo("done");
            assertThat(ev.get("outcomes").get("passed").asInt()).isEqualTo(1);
            assertThat(ev.get("outcomes").get("failed").asInt()).isEqualTo(1);
            assertThat(worker.isAlive()).isTrue();
            assertThat(c.isAlive()).isTrue();
        }
    }

    private static JsonNode assertProblem(Api.Answer a, int status, String slug) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.contentType()).startsWith("application/problem+json");
        JsonNode p = a.json();
        assertThat(p.get("type").asText()).isEqualTo("urn:cdnodes:problem:" + slug);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).isNotBlank();
        return p;
    }
}
