package io.cdnodes.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Payara Server domain of its own, made with the distribution the build unpacked ({@link Paths#payaraServer()}) and
 * driven with {@code asadmin} as an operator would: {@code create-domain} on a free port base in a folder of the
 * test, {@code start-domain} with the coordinator's settings in its environment, {@code deploy}, {@code redeploy},
 * {@code undeploy}, {@code stop-domain}. Every listener the domain opens is bound to 127.0.0.1 (its domain.xml is
 * edited for that before the first start). {@link #close()} stops the domain, forcibly if it must.
 */
public final class PayaraServer implements AutoCloseable {

    /** The domain's name. */
    public static final String DOMAIN = "cdnodes";
    /** The ports Payara takes from the port base: admin 48, HTTP 80 and 81, IIOP 37–39, JMS 76, JMX 86, OSGi shell
     * 66, debugger 9, the data grid 49 and 59. */
    private static final int[] OFFSETS = {9, 37, 38, 39, 48, 49, 59, 66, 76, 80, 81, 86};
    /** A listener of domain.xml with a literal port number (those of the running server's configuration). */
    private static final Pattern LISTENER =
            Pattern.compile("<(network-listener|iiop-listener|jmx-connector)\\b[^>]*\\bport=\"\\d+\"[^>]*>");

    private final Path home;
    private final Path domains;
    private final Path work;
    private final int portBase;
    private final Map<String, String> env;

    /** Whether this domain has been started (and so must be stopped). */
    private boolean started;

    private PayaraServer(Path home, Path work, int portBase, Map<String, String> env) {
        this.home = home;
        this.work = work;
        this.domains = work.resolve("domains");
        this.portBase = portBase;
        this.env = Map.copyOf(env);
    }

    /**
     * Creates the domain under {@code work}.
     *
     * @param env the domain process's environment besides {@code AS_JAVA}: the coordinator's settings
     */
    public static PayaraServer create(Path work, Map<String, String> env) {
        PayaraServer server = new PayaraServer(Paths.payaraServer(), work, freePortBase(), env);
        server.asadminLocal(Duration.ofMinutes(3), "--user", "admin", "create-domain", "--nopassword",
                "--portbase", Integer.toString(server.portBase), "--domaindir", server.domains.toString(), DOMAIN);
        server.bindToLoopback();
        return server;
    }

    public int httpPort() {
        return portBase + 80;
    }

    public int adminPort() {
        return portBase + 48;
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort();
    }

    /** The admin console's address. */
    public String consoleUrl() {
        return "http://127.0.0.1:" + adminPort();
    }

    public Path serverLog() {
        return domains.resolve(DOMAIN).resolve("logs").resolve("server.log");
    }

    /** The domain process's id, from the pid file Payara writes. */
    public long pid() {
        try {
            return Long.parseLong(Files.readString(domains.resolve(DOMAIN).resolve("config").resolve("pid")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("the domain wrote no pid file", e);
        }
    }

    public void start() {
        started = true;
        asadminLocal(Duration.ofMinutes(4), "start-domain", "--domaindir", domains.toString(), DOMAIN);
    }

    /** A remote asadmin command against this domain's admin port; fails the test unless it succeeds. */
    public String asadmin(String... args) {
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", Integer.toString(adminPort())));
        all.addAll(List.of(args));
        return asadminLocal(Duration.ofMinutes(5), all.toArray(String[]::new));
    }

    /** A thread dump of the domain process ({@code jcmd Thread.print}). */
    public String threadDump() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        return run(List.of(jcmd.toString(), Long.toString(pid()), "Thread.print"), Duration.ofMinutes(1),
                work.resolve("jcmd.log"));
    }

    /**
     * Waits until the admin console has loaded (its first request starts it: a page that reloads itself is
     * answered meanwhile).
     */
    public void awaitConsole(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(consoleUrl()
                        + "/common/index.jsf")).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && !r.body().contains("location.reload")) {
                    return;
                }
            } catch (IOException e) {
                // not answering yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(2000);
        }
        throw new IllegalStateException("the admin console did not load within " + timeout);
    }

    /** Waits until the readiness probe reports the coordinator's own check UP ({@link Readiness}). */
    public void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Readiness.ready(http, url())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the coordinator on Payara Server was not ready within " + timeout
                        + "; see " + serverLog());
            }
            sleep(300);
        }
    }

    @Override
    public void close() {
        if (!started) {
            return;
        }
        started = false;
        long pid = -1;
        try {
            pid = pid();
        } catch (UncheckedIOException e) {
            // never started far enough to write one
        }
        try {
            asadminLocal(Duration.ofMinutes(2), "stop-domain", "--domaindir", domains.toString(), DOMAIN);
        } catch (RuntimeException | AssertionError e) { // failed, or ran past its time
            System.err.println("stop-domain failed, killing the domain: " + e.getMessage());
        }
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroyForcibly();
                p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
            });
        }
    }

    /** asadmin with this domain's environment; fails unless it exits with 0. */
    private String asadminLocal(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin").resolve("asadmin").toString());
        cmd.addAll(List.of(args));
        return run(cmd, timeout, work.resolve("asadmin.log"));
    }

    private String run(List<String> cmd, Duration timeout, Path log) {
        try {
            Files.createDirectories(work);
            Command.Result r = Command.run(cmd, work, timeout, e -> {
                e.keySet().removeIf(k -> k.startsWith("AS_"));
                e.putAll(env);
                e.put("AS_JAVA", System.getProperty("java.home"));
            });
            Files.writeString(log, "$ " + String.join(" ", cmd) + "\n" + r.output() + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            if (r.exit() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " exited with " + r.exit() + ":\n"
                        + r.output());
            }
            return r.output();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Binds the domain's HTTP, admin, IIOP and JMX listeners and its data grid to 127.0.0.1 (a new domain binds them
     * to every address). Only the running server's configuration ({@code server-config}) has literal port numbers,
     * so only its listeners are changed.
     */
    private void bindToLoopback() {
        Path xml = domains.resolve(DOMAIN).resolve("config").resolve("domain.xml");
        try {
            String s = Files.readString(xml);
            Matcher m = LISTENER.matcher(s);
            StringBuilder out = new StringBuilder();
            int bound = 0;
            while (m.find()) {
                String tag = m.group();
                tag = tag.contains(" address=\"") ? tag.replaceFirst(" address=\"[^\"]*\"", " address=\"127.0.0.1\"")
                        : tag.replaceFirst("^<" + m.group(1), "<" + m.group(1) + " address=\"127.0.0.1\"");
                m.appendReplacement(out, Matcher.quoteReplacement(tag));
                bound++;
            }
            m.appendTail(out);
            if (bound < 7) { // 3 network listeners, 3 IIOP listeners, 1 JMX connector
                throw new IllegalStateException("only " + bound + " listeners found to bind in " + xml);
            }
            Files.writeString(xml, out.toString().replaceFirst("<hazelcast-runtime-configuration ",
                    "<hazelcast-runtime-configuration das-bind-address=\"127.0.0.1\" interfaces=\"127.0.0.1\" "));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port base whose ports Payara uses are all free on 127.0.0.1 now. */
    private static int freePortBase() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 100 * ThreadLocalRandom.current().nextInt(200, 600); // 20000..59900
            if (allFree(base)) {
                return base;
            }
        }
        throw new IllegalStateException("no free port base found");
    }

    private static boolean allFree(int base) {
        for (int offset : OFFSETS) {
            try (ServerSocket s = new ServerSocket(base + offset, 1, InetAddress.getByName("127.0.0.1"))) {
                s.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
