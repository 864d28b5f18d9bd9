package io.cdnodes.web.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cdnodes.connector.api.WorkerGateway;
import io.cdnodes.connector.api.WorkerGatewayFactory;
import io.cdnodes.coordinator.access.Caller;
import io.cdnodes.coordinator.evaluation.EvaluationService;
import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.coordinator.report.EvaluationQueries;
import io.cdnodes.coordinator.report.EvaluationViews;
import io.cdnodes.coordinator.stats.StatsService;
import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.AssignmentKind;
import io.cdnodes.protocol.frame.Collected;
import io.cdnodes.protocol.frame.Drain;
import io.cdnodes.protocol.frame.Outcome;
import io.cdnodes.protocol.frame.PackageAck;
import io.cdnodes.protocol.frame.PackageBegin;
import io.cdnodes.protocol.frame.PackageChunk;
import io.cdnodes.protocol.frame.PackageEnd;
import io.cdnodes.protocol.frame.TestResult;
import io.cdnodes.protocol.frame.TestStarted;
import io.cdnodes.protocol.frame.Welcome;
import io.cdnodes.protocol.transfer.PackageAssembler;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Inside Payara Micro: the real adapter accepts a worker (played by the test over TLS), delivers its events to
 * the MDB, and the dispatcher drives it through a whole evaluation — package transfer, collection, runs —
 * through the outbound gateway; results land in the H2 database and the read models. Another worker that claims
 * the first one's collection adds nothing to it.
 */
@ExtendWith(ArquillianExtension.class)
class CoordinatorContainerIT {

    private static final String TOKEN = "arquillian-token";

    /**
     * The war as built, with the test inside it. Its web.xml requires an API key on every path; Arquillian's test
     * runner servlet (which cannot send one) is left open, and nothing else.
     */
    @Deployment
    static WebArchive deployment() throws IOException {
        WebArchive war = ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/cdnodes-web.war"))
                .addClasses(CoordinatorContainerIT.class, FakeWorker.class, FailingServlet.class);
        String webXml;
        try (InputStream in = war.get("WEB-INF/web.xml").getAsset().openStream()) {
            webXml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String runner = "<security-constraint><web-resource-collection><web-resource-name>arquillian"
                + "</web-resource-name><url-pattern>/ArquillianServletRunnerEE9</url-pattern></web-resource-collection>"
                + "</security-constraint>\n  ";
        return war.setWebXML(new StringAsset(webXml.replaceFirst("<security-constraint>",
                Matcher.quoteReplacement(runner) + "<security-constraint>")));
    }

    @EJB
    private EvaluationService evaluations;

    @EJB
    private EvaluationQueries queries;

    @EJB
    private StatsService stats;

    @Resource(lookup = "java:app/cdnodes/WorkerGateway")
    private WorkerGatewayFactory gateways;

    @ArquillianResource
    private URL base;

    /**
     * What fails outside JAX-RS (here a servlet of the test deployment) reaches the war's error page: problem+json
     * like every other answer of the API, not the container's HTML. The error page asked for directly is a 404.
     */
    @Test
    void aFailureOutsideJaxRsIsAnsweredAsProblemJson() throws Exception {
        String key = Files.readString(Path.of(System.getenv("CDNODES_DATA_DIR"), "admin.key")).strip();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> failed = http.send(HttpRequest.newBuilder(base.toURI().resolve("container-failure"))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(500, failed.statusCode(), failed.body());
        assertEquals("application/problem+json", failed.headers().firstValue("content-type").orElse("")
                .replaceAll(";.*", ""));
        assertTrue(failed.body().contains("\"type\":\"urn:cdnodes:problem:internal\""), failed.body());
        assertTrue(!failed.body().contains("failing on purpose"), "no internals in the answer: " + failed.body());

        HttpResponse<String> direct = http.send(HttpRequest.newBuilder(base.toURI().resolve(
                io.cdnodes.web.problem.ErrorPage.PATH.substring(1))).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, direct.statusCode(), direct.body());
        assertTrue(direct.body().contains("urn:cdnodes:problem:http-404"), direct.body());
    }

    @Test
    void aWorkerIsDrivenThroughAWholeEvaluation() throws Exception {
        String listen;
        try (WorkerGateway g = gateways.getGateway()) {
            listen = g.listenAddresses().get(0);
        }
        int port = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
        try (FakeWorker worker = new FakeWorker("127.0.0.1", port, FakeWorker.publishedFingerprint())) {
            worker.hello("container-worker", TOKEN);
            Welcome welcome = worker.expect(Welcome.class, 10_000);
            assertTrue(welcome.heartbeatTimeoutMs() >= 2 * welcome.heartbeatIntervalMs());
            awaitInNetwork(worker.localPort());
            List<io.cdnodes.coordinator.stats.NodeView> nodes = stats.nodesNow();
            assertEquals(1, nodes.size());
            assertEquals("container-worker", nodes.get(0).name());
            assertEquals("127.0.0.1:" + worker.localPort(), nodes.get(0).address());
            assertEquals(false, nodes.get(0).sandboxed(), "the fake worker's HELLO says it does not sandbox");
            assertEquals("3.11", nodes.get(0).python());

            Path zip = Files.createTempFile("container", ".zip");
            Files.write(zip, zip(Map.of("tests/test_a.py", "def test_x():\n    pass\n",
                    "tests/test_b.py", "def test_y():\n    assert False\n")));
            long id = evaluations.submitZip(zip, "container.zip", RunOptions.none(), Caller.adminKey()).id();

            PackageBegin begin = worker.expect(PackageBegin.class, 30_000);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            PackageAssembler assembler = new PackageAssembler(begin, Long.MAX_VALUE, received);
            while (received.size() < begin.totalBytes()) {
                assembler.onChunk(worker.expect(PackageChunk.class, 10_000));
            }
            assembler.onEnd(worker.expect(PackageEnd.class, 10_000));
            worker.send(new PackageAck(begin.packageId(), true, ""));

            Assign collect = worker.expect(Assign.class, 10_000);
            assertEquals(AssignmentKind.COLLECT, collect.kind());
            assertEquals(begin.packageId(), collect.packageId());
            intrude(port, collect);
            // the holder's own frames of another attempt count for nothing either
            worker.send(new Collected(collect.assignmentId(), collect.attempt() + 1,
                    List.of("tests/test_a.py::test_stale")));
            worker.send(new Collected(collect.assignmentId(), collect.attempt(),
                    List.of("tests/test_a.py::test_x", "tests/test_b.py::test_y")));
            worker.send(new AssignmentDone(collect.assignmentId(), collect.attempt(), 0, ""));

            Map<String, String> ran = new TreeMap<>();
            while (ran.size() < 2) {
                Assign run = worker.expect(Assign.class, 30_000);
                assertEquals(AssignmentKind.RUN, run.kind());
                assertTrue(List.of("tests/test_a.py::test_x", "tests/test_b.py::test_y").containsAll(run.nodeIds()),
                        "only collected node ids are run: " + run.nodeIds());
                for (String node : run.nodeIds()) {
                    Outcome o = node.endsWith("test_y") ? Outcome.FAILED : Outcome.PASSED;
                    worker.send(new TestStarted(run.assignmentId(), run.attempt(), node));
                    worker.send(new TestResult(run.assignmentId(), run.attempt(), node, o, 0.01,
                            o == Outcome.FAILED ? "assert False" : ""));
                    ran.put(node, o.wireName());
                }
                worker.send(new AssignmentDone(run.assignmentId(), run.attempt(), 1, ""));
            }

            EvaluationViews.EvaluationView done = awaitFinished(id);
            assertEquals("done", done.status());
            assertEquals(1, done.outcomes().passed());
            assertEquals(1, done.outcomes().failed());
            assertEquals(10.0, done.grade());
            Map<String, String> recorded = new TreeMap<>();
            done.projects().get(0).tests().forEach(t -> recorded.put(t.nodeId(), t.outcome()));
            assertEquals(ran, recorded);
            assertEquals(Map.of("tests/test_a.py::test_x", "passed", "tests/test_b.py::test_y", "failed"), recorded);
            done.projects().get(0).tests().forEach(t -> assertEquals("container-worker", t.worker()));
        }
    }

    /**
     * Another authenticated worker claims the collection handed to the first: node ids of its choosing, results and
     * the end of the assignment. It drains first, so that it is given no work, and leaves; its frames have been
     * handled once it is out of /network (the dispatcher handles a connection's events in order).
     */
    private void intrude(int port, Assign collect) throws Exception {
        int intruderPort;
        try (FakeWorker intruder = new FakeWorker("127.0.0.1", port, FakeWorker.publishedFingerprint())) {
            intruder.hello("intruder", TOKEN);
            intruder.expect(Welcome.class, 10_000);
            intruderPort = intruder.localPort();
            awaitInNetwork(intruderPort);
            intruder.send(new Drain("here to meddle, not to work"));
            intruder.send(new Collected(collect.assignmentId(), collect.attempt(),
                    List.of("tests/test_evil.py::test_forged")));
            intruder.send(new TestStarted(collect.assignmentId(), collect.attempt(), "tests/test_evil.py::test_forged"));
            intruder.send(new TestResult(collect.assignmentId(), collect.attempt(), "tests/test_evil.py::test_forged",
                    Outcome.PASSED, 0.01, ""));
            intruder.send(new AssignmentDone(collect.assignmentId(), collect.attempt(), 0, ""));
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (stats.network().keySet().stream().anyMatch(a -> a.endsWith(":" + intruderPort))) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the intruder stayed in /network: " + stats.network());
            }
            Thread.sleep(100);
        }
    }

    /**
     * Until the worker is in /network (the connector holds its connection) and among the nodes (the dispatcher has
     * taken in its joining, which reaches it through the message-driven bean a moment later).
     */
    private void awaitInNetwork(int localPort) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            if (stats.network().keySet().stream().anyMatch(a -> a.endsWith(":" + localPort))
                    && stats.nodesNow().stream().anyMatch(n -> n.address().endsWith(":" + localPort))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the worker never appeared in /network and among the nodes: " + stats.network()
                + ", " + stats.nodesNow());
    }

    private EvaluationViews.EvaluationView awaitFinished(long id) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            EvaluationViews.EvaluationView v = queries.get(id, true);
            if (v.status().equals("done") || v.status().equals("failed")) {
                return v;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("evaluation " + id + " did not finish: " + queries.get(id, false));
    }

    private static byte[] zip(Map<String, String> files) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> e : new TreeMap<>(files).entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
