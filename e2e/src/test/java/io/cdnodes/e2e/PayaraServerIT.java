package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdnodes.e2e.support.Api;
import io.cdnodes.e2e.support.Coordinator;
import io.cdnodes.e2e.support.FreePort;
import io.cdnodes.e2e.support.HeadlessChromium;
import io.cdnodes.e2e.support.PayaraServer;
import io.cdnodes.e2e.support.Paths;
import io.cdnodes.e2e.support.PytestOracle;
import io.cdnodes.e2e.support.WorkerAgent;
import io.cdnodes.e2e.support.Zips;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The EAR on Payara Server, as an operator runs it: the distribution from Maven Central unpacked by the build, a new
 * domain on free ports, settings given as the adapter's config property and with {@code asadmin set-config-property}
 * (the data folder among them) besides the environment, {@code asadmin deploy}; a real TCP worker and a real project give plain pytest's outcomes;
 * {@code asadmin redeploy} keeps every evaluation and the worker comes back to run another; {@code asadmin undeploy}
 * leaves no CDProto thread, port or socket behind in the still-running domain.
 */
class PayaraServerIT {

    /** The EAR's war serves the dashboard too: the root sends a browser there, its pages and ECharts need no key. */
    private static void dashboardIsServed(String url) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> root = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(url + "/")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/evaluations"));
        for (String page : List.of("/evaluations", "/assets/app.js", "/assets/vendor/echarts.min.js")) {
            java.net.http.HttpResponse<String> a = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url + page)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(a.statusCode()).as(page).isEqualTo(200);
        }
        assertThat(HeadlessChromium.dom(url + "/evaluations")).as("the sign-in form, drawn by the page's modules")
                .contains("id=\"api-key\"");
    }

    private static final String ADAPTER_CONFIG = "resources.resource-adapter-config.cdnodes#cdnodes-connector";
    private static final String MAX_POOL = "resources.jdbc-connection-pool.cdnodes-pool.max-pool-size";

    @Test
    void theEarDeploysRunsRedeploysAndUndeploysOnPayaraServer() throws Exception {
        Path work = Paths.work("payara-server-");
        Path data = work.resolve("data");
        Path socket = data.resolve("cdproto.sock");
        int proto = FreePort.find();
        String adminKey = "e2e-server-admin-" + UUID.randomUUID();
        Path fixture = Paths.fixture("mixed");
        Map<String, String> expected = PytestOracle.outcomes(fixture, List.of(), Map.of());
        assertThat(expected).containsValues("passed", "failed", "error", "skipped", "xfailed", "xpassed");

        try (PayaraServer server = PayaraServer.create(work, Map.of(
                "CDNODES_SOCKET", socket.toString(),
                "CDNODES_WORKER_TOKEN", Coordinator.TOKEN,
                "CDNODES_ADMIN_KEY", adminKey))) {
            server.start();
            // the domain's resources, as ear/README.md has an operator make them: the database pool, the adapter's
            // thread pool and its config; then the settings given the domain rather than its environment: the port
            // as the adapter's config property (Resource Adapter Configs), the sandbox rule and the data folder
            // (database, packages, certificate) through MicroProfile Config
            server.asadmin("multimode", "--file", Paths.domainResources().toString());
            server.asadmin("set", ADAPTER_CONFIG + ".property.ProtoPort=" + proto);
            server.asadmin("set-config-property", "--propertyName=CDNODES_REQUIRE_SANDBOX", "--propertyValue=true",
                    "--source=domain");
            server.asadmin("set-config-property", "--propertyName=CDNODES_DATA_DIR", "--propertyValue=" + data,
                    "--source=domain");
            // what monitoring is to see: the database pool's connections, the adapter's work
            server.asadmin("enable-monitoring", "--modules", "jdbc-connection-pool=HIGH:connector-service=HIGH");
            assertThat(server.asadmin("deploy", "--name", "cdnodes", Paths.ear().toString()))
                    .contains("Application deployed with name cdnodes");
            server.awaitReady(Duration.ofMinutes(2));
            assertThat(Files.readString(server.serverLog())).contains("CD Nodes connector started (tcp 127.0.0.1:"
                    + proto + ", socket " + socket + ", worker token required, sandboxed workers only)");
            assertThat(server.asadmin("list-applications")).contains("cdnodes").contains("<ear");
            // the domain's database pool: listed, pinged, tuned; the EAR's own gateway pool (glassfish-resources.xml)
            assertThat(server.asadmin("list-jdbc-resources")).contains("jdbc/cdnodes");
            server.asadmin("ping-connection-pool", "cdnodes-pool");
            server.asadmin("set", MAX_POOL + "=40");
            assertThat(server.asadmin("list-applications", "--resources"))
                    .contains("java:app/cdnodes-gateway-pool", "<ConnectorConnectionPool>");
            consolePages(server);
            assertThat(data.resolve("db").resolve("cdnodes.mv.db")).as("the database in the data folder").exists();
            assertThat(data.resolve("tls").resolve("cdproto.sha256")).as("the certificate too").exists();
            Api api = new Api(server.url(), adminKey);
            dashboardIsServed(server.url());
            String fingerprint = Files.readString(data.resolve("tls").resolve("cdproto.sha256")).strip();

            long first;
            try (WorkerAgent worker = new WorkerAgent("server-tcp", "tcp://127.0.0.1:" + proto, Coordinator.TOKEN, 2,
                    fingerprint)) {
                worker.awaitConnected(Duration.ofSeconds(60));
                first = api.submitOk("mixed.zip", Zips.of(fixture, ""), null);
                JsonNode done = api.awaitFinished(first, Duration.ofMinutes(5));
                assertThat(done.get("status").asText()).isEqualTo("done");
                assertThat(outcomes(done)).isEqualTo(expected);
                assertThat(count(server.asadmin("get", "-m", "server.resources.cdnodes-pool.numconncreated-count")))
                        .as("connections of the database pool, as monitoring counts them").isPositive();
                String monitored = server.asadmin("get", "-m", "server.connector-service.*");
                // two accept loops (TCP, Unix socket), the worker's reader and writer
                assertThat(monitored).as("the connector's work, as monitoring counts it").contains(
                        "cdnodes#cdnodes-connector.work-management.activeworkcount-current = 4",
                        "cdnodes#cdnodes-connector.work-management.rejectedworkcount-count = 0");

                assertThat(server.asadmin("redeploy", "--name", "cdnodes", Paths.ear().toString()))
                        .contains("Application deployed with name cdnodes");
                assertThat(server.asadmin("get", MAX_POOL)).as("the domain's pool keeps its tuning")
                        .contains(MAX_POOL + "=40");
                server.awaitReady(Duration.ofMinutes(2));
                JsonNode kept = api.get("/evaluation/" + first + "?tests=true").json();
                assertThat(kept.get("status").asText()).isEqualTo("done");
                assertThat(outcomes(kept)).as("the evaluation run before the redeployment").isEqualTo(expected);

                // the worker lost its connection with the old application and comes back to the new one
                long second = api.submitOk("mixed-again.zip", Zips.of(fixture, ""), null);
                JsonNode again = api.awaitFinished(second, Duration.ofMinutes(5));
                assertThat(again.get("status").asText()).isEqualTo("done");
                assertThat(outcomes(again)).isEqualTo(expected);
                assertThat(worker.isAlive()).isTrue();
            }
            assertThat(server.threadDump()).as("the adapter's threads while deployed, on its pool")
                    .contains("\"cdproto-accept-", "\"orb-cdproto-thread-pool");

            server.asadmin("undeploy", "cdnodes");
            assertThat(server.asadmin("list-applications")).doesNotContain("cdnodes");
            String threads = server.threadDump();
            assertThat(threads).as("no CDProto thread left in the domain").doesNotContain("\"cdproto-");
            assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", proto), 2000);
                }
            }).as("CDProto's TCP port is closed").isInstanceOf(IOException.class);
            assertThatThrownBy(() -> {
                try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    c.connect(UnixDomainSocketAddress.of(socket));
                }
            }).as("nothing listens on CDProto's Unix socket").isInstanceOf(IOException.class);
            // Payara Server serves /health itself: it answers on, without the coordinator's check
            assertThat(api.get("/health/ready").body()).doesNotContain("cdnodes");
            assertThat(api.get("/evaluation/" + first).status()).isEqualTo(404);
        }
    }

    /**
     * The admin console, as headless Chromium shows it: the application, its pools and the adapter's config are
     * there; the screenshots stay in {@code e2e/target/screenshots} (ear/README.md shows them).
     */
    private static void consolePages(PayaraServer server) {
        server.awaitConsole(Duration.ofMinutes(3));
        String console = server.consoleUrl();
        String applications = console + "/common/applications/applications.jsf";
        String resources = console + "/common/applications/resources/appScopedResources.jsf?appName=cdnodes"
                + "&listPageLink=/common/applications/applications.jsf";
        String adapterConfigs = console + "/jca/resourceAdapterConfigs.jsf";
        String jdbcPools = console + "/jdbc/jdbcConnectionPools.jsf";
        assertThat(HeadlessChromium.dom(applications)).contains("cdnodes");
        assertThat(HeadlessChromium.dom(resources)).contains("java:app/cdnodes-gateway-pool",
                "java:app/cdnodes/WorkerGateway");
        assertThat(HeadlessChromium.dom(jdbcPools)).contains("cdnodes-pool");
        assertThat(HeadlessChromium.dom(adapterConfigs)).contains("cdnodes#cdnodes-connector");
        Path shots = HeadlessChromium.screenshots();
        for (Map.Entry<String, String> page : Map.of("payara-server-applications.png", applications,
                "payara-server-application-resources.png", resources,
                "payara-server-resource-adapter-configs.png", adapterConfigs,
                "payara-server-jdbc-pools.png", jdbcPools).entrySet()) {
            assertThat(HeadlessChromium.screenshot(page.getValue(), shots.resolve(page.getKey())))
                    .isNotEmptyFile();
        }
    }

    /** The number in an {@code asadmin get -m NAME} answer ({@code NAME = 7}). */
    private static long count(String answer) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("= (\\d+)").matcher(answer);
        assertThat(m.find()).as(answer).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static Map<String, String> outcomes(JsonNode evaluation) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode t : evaluation.get("projects").get(0).get("tests")) {
            assertThat(out.put(t.get("nodeid").asText(), t.get("outcome").asText()))
                    .as("node %s reported once", t.get("nodeid").asText()).isNull();
        }
        return out;
    }
}
