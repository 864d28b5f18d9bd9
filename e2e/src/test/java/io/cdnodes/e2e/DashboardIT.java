package io.cdnodes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdnodes.e2e.support.Api;
import io.cdnodes.e2e.support.Coordinator;
import io.cdnodes.e2e.support.HeadlessChromium;
import io.cdnodes.e2e.support.SharedCoordinator;
import io.cdnodes.e2e.support.WorkerAgent;
import io.cdnodes.e2e.support.Zips;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven by Selenium through Debian's chromedriver,
 * against the shared coordinator with real workers. Signs in, watches an evaluation submitted through the API
 * reach {@code done} on its page without a reload, opens a failed test's report, sees the timeline, and watches a
 * killed worker turn to {@code gone} on the workers page. Each page's screenshot is written to
 * {@code e2e/target/screenshots/dashboard-*.png}.
 */
@ExtendWith(SharedCoordinator.class)
class DashboardIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private WebDriver browser;

    @BeforeEach
    void openBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(new File("/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1366,900",
                "--disable-dev-shm-usage");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anEvaluationGoesLiveToDoneAndAKilledWorkerTurnsGone(Coordinator c) throws Exception {
        Api api = c.api();
        String url = c.url() + "/";

        // the address sends a browser to the dashboard, whose pages need no key; the API behind them does
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> root = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/evaluations"));
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(c.url() + "/evaluations/1")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>CD Nodes</title>").contains("<base href=\"/\">");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(p -> assertThat(p)
                .contains("default-src 'self'"));
        // no way through the open paths to the API or the war's files
        for (String sneaky : List.of("/assets/../WEB-INF/web.xml", "/assets/..;/stats", "/evaluations/..;/network/nodes",
                "/evaluations/%2e%2e/network/nodes", "/workers/..;/api-keys", "/trends/%2e%2e/evaluation",
                "/assets/%2e%2e/%2e%2e/stats", "/evaluations;/network/nodes")) {
            HttpResponse<String> a = http.send(HttpRequest.newBuilder(URI.create(c.url() + sneaky)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(a.statusCode()).as(sneaky + ": " + a.body()).isNotEqualTo(200);
        }
        assertThat(api.withoutKey().get("/evaluation").status()).isEqualTo(401);

        browser.get(url);
        WebElement key = waitFor(By.id("api-key"));
        screenshot("dashboard-sign-in");
        key.sendKeys("cdn_0123456789abcdef_" + "A".repeat(43));
        browser.findElement(By.cssSelector("form.sign-in button[type=submit]")).click();
        waitFor(By.cssSelector("form.sign-in p.error"));
        assertThat(browser.findElement(By.cssSelector("form.sign-in p.error")).getText()).contains("refused");
        key = browser.findElement(By.id("api-key"));
        key.clear();
        key.sendKeys(c.adminKey());
        browser.findElement(By.cssSelector("form.sign-in button[type=submit]")).click();
        waitFor(By.cssSelector("#who button"));
        assertThat(browser.findElement(By.id("who")).getText()).contains("admin key");
        assertThat(browser.getCurrentUrl()).doesNotContain(c.adminKey());

        String project = "dash-" + System.nanoTime();
        try (WorkerAgent a = c.worker("dash-a", true); WorkerAgent b = c.worker("dash-b", false)) {
            a.awaitConnected(Duration.ofSeconds(60));
            b.awaitConnected(Duration.ofSeconds(60));
            StringBuilder src = new StringBuilder("import time\n\n"
                    + "def test_fails():\n    print('hello from the failing test')\n    assert 1 + 1 == 3\n\n");
            for (int i = 0; i < 10; i++) {
                src.append("def test_slow_").append(i).append("():\n    time.sleep(0.6)\n\n");
            }
            long id = api.submitOk(project + ".zip", Zips.entries(List.of(Map.entry(project + "/tests/test_live.py",
                    src.toString()))), null);

            browser.get(c.url() + "/evaluations/" + id);
            waitFor(By.cssSelector("section.summary[data-status]"));
            ((JavascriptExecutor) browser).executeScript("window.__notReloaded = true;");
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.attributeToBe(
                    By.cssSelector("section.summary"), "data-status", "done"));
            assertThat(((JavascriptExecutor) browser).executeScript("return window.__notReloaded === true;"))
                    .as("the page reached done live, not by a reload").isEqualTo(true);

            JsonNode view = api.get("/evaluation/" + id).json();
            for (String outcome : List.of("passed", "failed")) {
                assertThat(browser.findElement(By.cssSelector("[data-outcome=" + outcome + "]")).getText())
                        .isEqualTo(view.get("outcomes").get(outcome).asText());
            }
            new WebDriverWait(browser, WAIT).until(d -> d.findElements(By.cssSelector("table.tests tbody tr")).size() == 11);
            // the table is drawn again as the last events come: a report once opened stays open
            new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class).until(d -> {
                d.findElement(By.cssSelector("tr[data-nodeid='tests/test_live.py::test_fails'] button")).click();
                return true;
            });
            new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class).until(d ->
                    d.findElement(By.cssSelector("tr.report-row")).getText().contains("hello from the failing test"));
            assertThat(browser.findElement(By.cssSelector("tr.report-row pre.longrepr")).getText())
                    .contains("assert 1 + 1 == 3").contains("def test_fails");
            waitFor(By.cssSelector(".timeline canvas"));
            assertThat(browser.findElements(By.xpath("//button[normalize-space()='Rerun failed']"))).hasSize(1);
            assertAccessibleBasics();
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1366, 2000));
            screenshot("dashboard-evaluation");
            // a phone's width: one column, nothing wider than the screen but the tables, which scroll
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
            assertThat(((JavascriptExecutor) browser).executeScript(
                    "return document.querySelector('header.top').scrollWidth <= window.innerWidth;")).isEqualTo(true);
            screenshot("dashboard-phone");
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1366, 900));

            // Rerun failed: a new evaluation of the failed test alone, whose page the browser goes to
            browser.findElement(By.xpath("//button[normalize-space()='Rerun failed']")).click();
            new WebDriverWait(browser, WAIT).until(d -> !d.getCurrentUrl().endsWith("/evaluations/" + id));
            long again = Long.parseLong(browser.getCurrentUrl().replaceAll(".*/evaluations/", ""));
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.attributeToBe(
                    By.cssSelector("section.summary"), "data-status", "done"));
            assertThat(api.get("/evaluation/" + again).json().get("source").asText())
                    .isEqualTo("rerun of evaluation " + id + " (failed)");
            new WebDriverWait(browser, WAIT).until(d -> d.findElements(By.cssSelector("table.tests tbody tr")).size() == 1);

            browser.findElement(By.cssSelector("header nav a[href='evaluations']")).click();
            waitFor(By.cssSelector("a[href='evaluations/" + id + "']"));
            screenshot("dashboard-evaluations");

            browser.findElement(By.cssSelector("header nav a[href='trends']")).click();
            new WebDriverWait(browser, WAIT).until(d -> !d.findElements(By.id("project")).isEmpty());
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("project"))).selectByValue(project);
            browser.findElement(By.cssSelector("main form button[type=submit]")).click();
            new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id("main")).getText()
                    .contains("The 20 slowest tests of " + project));
            screenshot("dashboard-trends");

            browser.findElement(By.cssSelector("header nav a[href='workers']")).click();
            By rowOfA = By.cssSelector("tr[data-worker='dash-a']");
            new WebDriverWait(browser, WAIT).until(d -> !d.findElements(rowOfA).isEmpty()
                    && !"gone".equals(d.findElement(rowOfA).getAttribute("data-state")));
            waitFor(By.cssSelector(".graph canvas"));
            a.kill();
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.attributeToBe(rowOfA, "data-state", "gone"));
            assertThat(browser.findElement(rowOfA).getText()).contains("gone");
            assertThat(browser.findElement(By.cssSelector("tr[data-worker='dash-b']")).getAttribute("data-state"))
                    .isIn("idle", "busy");
            assertAccessibleBasics();
            screenshot("dashboard-workers");
        }
    }

    /**
     * What a keyboard or screen-reader user needs at the least: every control labelled, every button and link with
     * a name, every chart with a text alternative, one h1, the page's language set.
     */
    @SuppressWarnings("unchecked")
    private void assertAccessibleBasics() {
        List<String> problems = (List<String>) ((JavascriptExecutor) browser).executeScript("""
                const out = [];
                for (const c of document.querySelectorAll('input, select, textarea')) {
                  if (c.type !== 'hidden' && c.labels.length === 0 && !c.getAttribute('aria-label')) out.push('unlabelled ' + c.outerHTML.slice(0, 80));
                }
                for (const b of document.querySelectorAll('button, a[href]')) {
                  if (!(b.textContent || '').trim() && !b.getAttribute('aria-label')) out.push('nameless ' + b.outerHTML.slice(0, 80));
                }
                for (const g of document.querySelectorAll('[role=img]')) {
                  if (!g.getAttribute('aria-label')) out.push('chart without text ' + g.className);
                }
                if (document.querySelectorAll('h1').length !== 1) out.push('h1 count ' + document.querySelectorAll('h1').length);
                if (!document.documentElement.lang) out.push('no lang');
                return out;""");
        assertThat(problems).as("accessibility basics on " + browser.getCurrentUrl()).isEmpty();
    }

    private WebElement waitFor(By what) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(what));
    }

    private void screenshot(String name) throws IOException {
        Path png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, HeadlessChromium.screenshots().resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
