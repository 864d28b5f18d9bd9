package io.cdnodes.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentKind;
import io.cdnodes.protocol.frame.TestResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Real python3 and pytest: each node's report (failure text, captured output, skip and xfail reasons, the phase,
 * recorded properties) is what pytest's own {@code --junitxml} writes for the same project and arguments.
 */
class PytestRunReportsTest {

    private static final String TESTS = """
            import logging
            import sys
            import pytest

            log = logging.getLogger("shop")

            def total(items):
                return sum(items)

            def test_rewritten_assertion():
                basket = [1, 2, 3]
                print("computing the total")
                assert total(basket) == 7

            def test_output_of_a_pass(record_property):
                record_property("ticket", "SHOP-12")
                print("to stdout")
                print("to stderr", file=sys.stderr)
                log.warning("running low")

            @pytest.fixture
            def broken():
                print("setting up")
                raise RuntimeError("no database")

            def test_setup_error(broken):
                pass

            @pytest.fixture
            def leaky():
                yield
                raise OSError("cleanup failed")

            def test_teardown_error(leaky):
                pass

            @pytest.mark.skip(reason="not on Fridays")
            def test_skipped():
                pass

            def test_skipped_inside():
                pytest.skip("no network here")

            @pytest.mark.xfail(reason="bug 42")
            def test_xfailed():
                assert 0

            @pytest.mark.xfail(reason="maybe fixed")
            def test_xpassed():
                pass

            class TestCart:
                @pytest.mark.parametrize("n", [1, 2])
                def test_count(self, n):
                    assert n == 1, "only one item"
            """;

    @TempDir
    Path tmp;

    @Test
    void eachReportIsWhatPytestsJunitXmlSays() throws Exception {
        RunFixture fx = new RunFixture(tmp).file("tests/test_shop.py", TESTS).file("tests/__init__.py", "");
        List<String> args = List.of("--tb=short");
        Map<String, Element> junit = junitXml(fx.project, args);
        fx.run(new Assign(1, 1, 10, 20, RunFixture.PKG, AssignmentKind.RUN, args, Map.of(), List.copyOf(
                junit.keySet()), 120)).execute();
        Map<String, TestResult> ours = fx.results().stream()
                .collect(Collectors.toMap(TestResult::nodeId, Function.identity()));
        assertThat(ours.keySet()).containsExactlyInAnyOrderElementsOf(junit.keySet());

        for (Map.Entry<String, Element> e : junit.entrySet()) {
            Map<String, String> report = ours.get(e.getKey()).report();
            Element failure = child(e.getValue(), "failure");
            Element error = child(e.getValue(), "error");
            Element skipped = child(e.getValue(), "skipped");
            Element failed = failure != null ? failure : error;
            if (failed != null) {
                assertThat(report.get("longrepr")).as("failure text of %s", e.getKey())
                        .isEqualTo(failed.getTextContent());
            } else {
                assertThat(report).as("%s", e.getKey()).doesNotContainKey("longrepr");
            }
            if (skipped != null) {
                assertThat(report.get("reason")).as("reason of %s", e.getKey())
                        .isEqualTo(skipped.getAttribute("message"));
            }
            if (skipped == null) {
                // (for a skipped test pytest writes an empty "Captured Out" banner: nothing was captured)
                assertThat(report.getOrDefault("stdout", "")).as("stdout of %s", e.getKey())
                        .isEqualTo(text(child(e.getValue(), "system-out")));
                assertThat(report.getOrDefault("stderr", "")).as("stderr of %s", e.getKey())
                        .isEqualTo(text(child(e.getValue(), "system-err")));
            }
        }

        String id = "tests/test_shop.py::";
        assertThat(ours.get(id + "test_rewritten_assertion").report()).containsEntry("phase", "call")
                .extractingByKey("longrepr").asString().contains("assert 6 == 7", "+  where 6 = total([1, 2, 3])");
        assertThat(ours.get(id + "test_setup_error").report()).containsEntry("phase", "setup")
                .containsEntry("stdout", "setting up\n");
        assertThat(ours.get(id + "test_teardown_error").report()).containsEntry("phase", "teardown");
        assertThat(ours.get(id + "test_output_of_a_pass").report()).doesNotContainKeys("phase", "longrepr")
                .containsEntry("property:ticket", "SHOP-12")
                .extractingByKey("log").asString().contains("WARNING", "shop", "running low");
        assertThat(ours.get(id + "test_xfailed").report()).containsEntry("reason", "bug 42");
        assertThat(ours.get(id + "TestCart::test_count[2]").report().get("longrepr")).contains("only one item");
    }

    @Test
    void theRunsTracebackStyleIsHonoured() throws Exception {
        RunFixture fx = new RunFixture(tmp).file("tests/test_shop.py", TESTS).file("tests/__init__.py", "");
        String node = "tests/test_shop.py::test_rewritten_assertion";
        // (--tb=native prints the whole Python stack, which runs through this plugin's frames here: not compared)
        for (String style : List.of("long", "line", "no")) {
            List<String> args = List.of("--tb=" + style);
            Element junit = junitXml(fx.project, args).get(node);
            fx.frames.clear();
            fx.run(new Assign(2, 1, 10, 20, RunFixture.PKG, AssignmentKind.RUN, args, Map.of(), List.of(node), 120))
                    .execute();
            assertThat(fx.results().get(0).report().get("longrepr")).as("--tb=%s", style)
                    .isEqualTo(child(junit, "failure").getTextContent());
        }
    }

    @Test
    void aReportValueIsCutToTheAssignmentsBoundWithTheCutSaid() throws Exception {
        RunFixture fx = new RunFixture(tmp).file("tests/test_noisy.py", """
                def test_noisy():
                    print("x" * 50_000)
                    assert False, "y" * 50_000
                """);
        fx.run(new Assign(3, 1, 10, 20, RunFixture.PKG, AssignmentKind.RUN, List.of(), Map.of(),
                List.of("tests/test_noisy.py::test_noisy"), 120, Map.of(Assign.REPORT_CHARS, "1000"))).execute();
        Map<String, String> report = fx.results().get(0).report();
        assertThat(report.get("stdout")).contains("characters cut by CD Nodes").hasSizeLessThan(1100);
        assertThat(report.get("longrepr")).contains("characters cut by CD Nodes").hasSizeLessThan(1100)
                .endsWith(report.get("longrepr").substring(report.get("longrepr").length() - 10));

        fx.frames.clear();
        fx.run(new Assign(4, 1, 10, 20, RunFixture.PKG, AssignmentKind.RUN, List.of(), Map.of(),
                List.of("tests/test_noisy.py::test_noisy"), 120, Map.of(Assign.REPORT_CHARS, "0"))).execute();
        assertThat(fx.results().get(0).report()).as("no report asked for").isEmpty();
        assertThat(fx.results().get(0).message()).isNotEmpty();
    }

    /** pytest's own --junitxml for the project and arguments, its testcases by node id. */
    private Map<String, Element> junitXml(Path project, List<String> args) throws Exception {
        Path xml = tmp.resolve("junit-" + System.nanoTime() + ".xml");
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", "-m", "pytest", "-p", "no:cacheprovider",
                "--junitxml=" + xml, "-o", "junit_logging=out-err", "-q"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("pytest.out").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        NodeList cases = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile())
                .getElementsByTagName("testcase");
        Map<String, Element> byNode = new HashMap<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            byNode.put(nodeId(c.getAttribute("classname"), c.getAttribute("name")), c);
        }
        return byNode;
    }

    /** {@code tests.test_shop.TestCart} and {@code test_count[2]}: {@code tests/test_shop.py::TestCart::test_count[2]}. */
    private static String nodeId(String classname, String name) throws IOException {
        String[] parts = classname.split("\\.");
        int module = parts.length;
        while (module > 0 && !parts[module - 1].startsWith("test_")) {
            module--;
        }
        StringBuilder id = new StringBuilder(String.join("/", java.util.Arrays.copyOf(parts, module)) + ".py");
        for (int i = module; i < parts.length; i++) {
            id.append("::").append(parts[i]);
        }
        return id.append("::").append(name).toString();
    }

    private static Element child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el && el.getTagName().equals(tag)) {
                return el;
            }
        }
        return null;
    }

    /** What pytest captured, without the banner its junitxml wraps it in ({@code ---- Captured Out ----}, a newline). */
    private static String text(Element e) {
        if (e == null) {
            return "";
        }
        String t = e.getTextContent();
        int eol = t.indexOf('\n');
        if (eol > 0 && t.substring(0, eol).matches("-+ Captured (Out|Err) -+")) {
            t = t.substring(eol + 1);
            return t.endsWith("\n") ? t.substring(0, t.length() - 1) : t;
        }
        return t;
    }
}
