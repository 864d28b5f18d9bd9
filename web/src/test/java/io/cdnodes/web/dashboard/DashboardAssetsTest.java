package io.cdnodes.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DashboardAssetsTest {

    @ParameterizedTest
    @ValueSource(strings = {"index.html", "app.js", "api.js", "dom.js", "evaluations.js", "evaluation.js",
            "timeline.js", "workers.js", "trends.js", "style.css", "favicon.svg"})
    void theDashboardsOwnFilesAreServedWithTheirTypes(String name) throws IOException {
        DashboardAssets.Asset a = DashboardAssets.find(name).orElseThrow();
        assertThat(a.resource()).isEqualTo("dashboard/" + name);
        assertThat(a.mediaType()).matches("(text/(html|javascript|css)|image/svg\\+xml).*");
        try (InputStream in = a.open()) {
            assertThat(in.readAllBytes()).isNotEmpty();
        }
    }

    @Test
    void echartsComesFromItsWebJarAtTheWebJarsOwnVersion() throws IOException {
        assertThat(DashboardAssets.webjarVersion("echarts")).hasValueSatisfying(v -> assertThat(v).matches("\\d+\\.\\d+\\.\\d+"));
        DashboardAssets.Asset a = DashboardAssets.find("vendor/echarts.min.js").orElseThrow();
        assertThat(a.immutable()).isTrue();
        try (InputStream in = a.open()) {
            assertThat(new String(in.readNBytes(4096), StandardCharsets.UTF_8)).contains("echarts");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"../web.xml", "..%2Fweb.xml", "/etc/passwd", "dashboard/app.js", "vendor/other.js",
            "io/cdnodes/web/dashboard/DashboardAssets.class", "index.html/..", "missing.js", "app.js.map",
            "META-INF/MANIFEST.MF", "a b.js", ".hidden.js"})
    void nothingElseIsFound(String name) {
        assertThat(DashboardAssets.find(name)).isEmpty();
    }

    @Test
    void thePageSetsItsBaseAndNeverWritesDataAsHtml() throws IOException {
        try (InputStream in = DashboardAssets.find("index.html").orElseThrow().open()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("<base href=\"/\">");
        }
        for (String js : new String[] {"app.js", "evaluations.js", "evaluation.js", "timeline.js", "workers.js",
                "trends.js", "dom.js", "api.js"}) {
            try (InputStream in = DashboardAssets.find(js).orElseThrow().open()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).as(js)
                        .doesNotContain("innerHTML").doesNotContain("outerHTML").doesNotContain("insertAdjacentHTML")
                        .doesNotContain("document.write").doesNotContain("localStorage");
            }
        }
    }
}
