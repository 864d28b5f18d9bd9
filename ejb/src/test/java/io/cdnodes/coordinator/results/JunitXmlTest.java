package io.cdnodes.coordinator.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.evaluation.Evaluation;
import io.cdnodes.coordinator.evaluation.Project;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The JUnit XML is parsed back and checked element by element; every document written here is also validated
 * against the common JUnit schema ({@code src/test/resources/junit/junit.xsd}).
 */
class JunitXmlTest {

    private static final Instant T = Instant.parse("2025-03-01T12:00:00Z");

    private final Evaluation evaluation = new Evaluation(T, "upload class.zip", "{}", "alice");
    private final Map<Long, List<TestResultRecord>> results = new HashMap<>();

    @Test
    void oneSuitePerProjectWithCountsAndOneCasePerResult() throws Exception {
        setId(evaluation, 42L);
        Project alpha = project(1L, "alpha");
        Project beta = project(2L, "beta");
        result(alpha, "tests/test_a.py::TestX::test_y[1]", TestOutcome.PASSED, 0.25, null);
        result(alpha, "tests/test_a.py::test_fail", TestOutcome.FAILED, 0.5, "assert 1 == 2\nwhere 1 = f()");
        result(alpha, "tests/test_a.py::test_err", TestOutcome.ERROR, 0.125, "fixture 'db' not found");
        result(alpha, "tests/test_b.py::test_skip", TestOutcome.SKIPPED, 0, "Skipped: later");
        result(alpha, "tests/test_b.py::test_xfail", TestOutcome.XFAILED, 0.001, "known bug");
        result(alpha, "tests/test_b.py::test_xpass", TestOutcome.XPASSED, 0.002, null);
        result(beta, "test_z.py::test_z", TestOutcome.PASSED, 1.0, null);

        Document doc = parse(JunitXml.write(evaluation, results));

        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("name")).isEqualTo("cdnodes evaluation 42");
        List<Element> suites = children(root, "testsuite");
        assertThat(suites).extracting(s -> s.getAttribute("name")).containsExactly("alpha", "beta");
        Element a = suites.get(0);
        assertThat(attrs(a, "tests", "failures", "errors", "skipped", "time")).containsExactly("6", "1", "1", "2", "0.878");
        assertThat(attrs(suites.get(1), "tests", "failures", "errors", "skipped", "time"))
                .containsExactly("1", "0", "0", "0", "1.000");

        List<Element> cases = children(a, "testcase");
        assertThat(cases).extracting(c -> c.getAttribute("classname")).containsExactly("tests.test_a.TestX",
                "tests.test_a", "tests.test_a", "tests.test_b", "tests.test_b", "tests.test_b");
        assertThat(cases).extracting(c -> c.getAttribute("name")).containsExactly("test_y[1]", "test_fail", "test_err",
                "test_skip", "test_xfail", "test_xpass");
        assertThat(cases).extracting(c -> c.getAttribute("file")).containsExactly("tests/test_a.py", "tests/test_a.py",
                "tests/test_a.py", "tests/test_b.py", "tests/test_b.py", "tests/test_b.py");
        assertThat(cases).extracting(c -> c.getAttribute("time")).containsExactly("0.250", "0.500", "0.125", "0.000",
                "0.001", "0.002");

        assertThat(children(cases.get(0), null)).isEmpty();
        Element failure = only(cases.get(1), "failure");
        assertThat(failure.getAttribute("message")).isEqualTo("assert 1 == 2");
        assertThat(failure.getTextContent()).isEqualTo("assert 1 == 2\nwhere 1 = f()");
        Element error = only(cases.get(2), "error");
        assertThat(error.getAttribute("message")).isEqualTo("fixture 'db' not found");
        Element skipped = only(cases.get(3), "skipped");
        assertThat(skipped.getAttribute("message")).isEqualTo("Skipped: later");
        assertThat(skipped.getAttribute("type")).isEqualTo("pytest.skip");
        Element xfail = only(cases.get(4), "skipped");
        assertThat(xfail.getAttribute("type")).isEqualTo("pytest.xfail");
        assertThat(xfail.getAttribute("message")).isEqualTo("known bug");
        assertThat(children(cases.get(5), null)).isEmpty();
    }

    @Test
    void projectsWithoutIdsWorkWithANullKey() throws Exception {
        Project p = new Project(evaluation, 0, "solo", null, 0);
        evaluation.getProjects().add(p);
        results.put(p.getId(), List.of(new TestResultRecord(p, "test_a.py::test_a", TestOutcome.FAILED, 0.1, "w1", "a",
                1, null, T)));

        Document doc = parse(JunitXml.write(evaluation, results));

        assertThat(doc.getDocumentElement().getAttribute("name")).isEqualTo("cdnodes evaluation null");
        Element failure = only(only(only(doc.getDocumentElement(), "testsuite"), "testcase"), "failure");
        assertThat(failure.getAttribute("message")).isEmpty();
        assertThat(failure.getTextContent()).isEmpty();
    }

    @Test
    void projectWithoutResultsIsAnEmptySuiteWithItsReasonInSystemErr() throws Exception {
        Project p = project(1L, "broken");
        p.fail("could not fetch https://github.com/o/r: 404");

        Element suite = only(parse(JunitXml.write(evaluation, results)).getDocumentElement(), "testsuite");

        assertThat(attrs(suite, "name", "tests", "failures", "errors", "skipped", "time"))
                .containsExactly("broken", "0", "0", "0", "0", "0.000");
        assertThat(only(suite, "system-err").getTextContent()).isEqualTo("could not fetch https://github.com/o/r: 404");
        assertThat(children(suite, "testcase")).isEmpty();
    }

    @Test
    void evaluationWithoutProjectsIsAnEmptyDocument() throws Exception {
        Document doc = parse(JunitXml.write(evaluation, Map.of()));

        assertThat(children(doc.getDocumentElement(), null)).isEmpty();
    }

    @Test
    void markupAndCharactersXmlCannotCarryAreSafe() throws Exception {
        Project p = project(1L, "odd\u0001name & <co>");
        result(p, "test_a.py::test_x[<&\">]", TestOutcome.FAILED, 0, "a < b && c > \"d\"\u0000\u001b[31mred\ud800");

        Document doc = parse(JunitXml.write(evaluation, results));

        Element suite = only(doc.getDocumentElement(), "testsuite");
        assertThat(suite.getAttribute("name")).isEqualTo("odd?name & <co>");
        Element testcase = only(suite, "testcase");
        assertThat(testcase.getAttribute("name")).isEqualTo("test_x[<&\">]");
        assertThat(only(testcase, "failure").getTextContent()).isEqualTo("a < b && c > \"d\"??[31mred?");
    }

    @Test
    void longFirstLinesAreCutInTheMessageAttributeOnly() throws Exception {
        Project p = project(1L, "p");
        String line = "x".repeat(600);
        result(p, "test_a.py::test_x", TestOutcome.ERROR, 0, line + "\nsecond");

        Element error = only(only(only(parse(JunitXml.write(evaluation, results)).getDocumentElement(), "testsuite"),
                "testcase"), "error");

        assertThat(error.getAttribute("message")).isEqualTo("x".repeat(500) + "…");
        assertThat(error.getTextContent()).isEqualTo(line + "\nsecond");
    }

    @Test
    void aTestsReportIsWrittenAsPytestsJunitxmlWritesIt() throws Exception {
        Project p = project(1L, "shop");
        String longrepr = "def test_total():\n>       assert total([1, 2, 3]) == 7\nE       assert 6 == 7\n\ntests/t.py:3: AssertionError";
        detailed(p, "tests/t.py::test_total", TestOutcome.FAILED, "assert 6 == 7", new TestDetails("call", null,
                longrepr, "computing\n", "careful\n", "WARNING  shop:t.py:9 low\n", Map.of("ticket", "SHOP-12")));
        detailed(p, "tests/t.py::test_db", TestOutcome.ERROR, "RuntimeError: no database", new TestDetails("setup",
                null, "@pytest.fixture\n...\nE   RuntimeError: no database", null, null, null, Map.of()));
        detailed(p, "tests/t.py::test_friday", TestOutcome.SKIPPED, "Skipped: not on Fridays", new TestDetails(null,
                "not on Fridays", null, null, null, null, Map.of()));
        detailed(p, "tests/t.py::test_bug", TestOutcome.XFAILED, "bug 42", new TestDetails(null, "bug 42", null, null,
                null, null, Map.of()));

        List<Element> cases = children(only(parse(JunitXml.write(evaluation, results)).getDocumentElement(),
                "testsuite"), "testcase");

        Element total = cases.get(0);
        assertThat(children(total, null)).extracting(Element::getTagName)
                .containsExactly("properties", "failure", "system-out", "system-err");
        Element property = only(children(total, "properties").get(0), "property");
        assertThat(attrs(property, "name", "value")).containsExactly("ticket", "SHOP-12");
        Element failure = children(total, "failure").get(0);
        assertThat(failure.getAttribute("message")).isEqualTo("assert 6 == 7");
        assertThat(failure.getTextContent()).isEqualTo(longrepr);
        assertThat(children(total, "system-out").get(0).getTextContent()).startsWith("computing\n\n")
                .contains(" Captured Log ").endsWith("WARNING  shop:t.py:9 low\n");
        assertThat(children(total, "system-err").get(0).getTextContent()).isEqualTo("careful\n");
        Element error = only(cases.get(1), "error");
        assertThat(error.getAttribute("message")).isEqualTo("failed on setup: RuntimeError: no database");
        assertThat(error.getTextContent()).endsWith("E   RuntimeError: no database");
        Element skipped = only(cases.get(2), "skipped");
        assertThat(attrs(skipped, "type", "message")).containsExactly("pytest.skip", "not on Fridays");
        Element xfailed = only(cases.get(3), "skipped");
        assertThat(attrs(xfailed, "type", "message")).containsExactly("pytest.xfail", "bug 42");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tests/test_a.py::TestX::test_y[1]          | tests.test_a.TestX       | test_y[1]",
            "tests/test_a.py::test_x                    | tests.test_a             | test_x",
            "test_a.py::test_x                          | test_a                   | test_x",
            "a/b/test_c.py::TestO::TestI::test_d         | a.b.test_c.TestO.TestI   | test_d",
            "test_a.py::test_x[a::b]                    | test_a                   | test_x[a::b]",
            "tests/test_a.py::test_x[a/b.py]            | tests.test_a             | test_x[a/b.py]",
            "tests/test_a.py::T::test_x[1-[nested]]     | tests.test_a.T           | test_x[1-[nested]]",
            "tests/test_a.py                            | ''                       | tests.test_a",
            "src/pkg/mod.py::pkg.mod.func               | src.pkg.mod              | pkg.mod.func",
            "docs/guide.rst::guide.rst                  | docs.guide.rst           | guide.rst",
            "test_apy.py::t                             | test_apy                 | t"})
    void namesAreDerivedAsPytestDoes(String nodeId, String classname, String name) {
        assertThat(JunitXml.names(nodeId)).containsExactly(classname, name);
    }

    private Project project(Long id, String name) throws Exception {
        Project p = new Project(evaluation, evaluation.getProjects().size(), name, "0".repeat(64), 100);
        setId(p, id);
        evaluation.getProjects().add(p);
        return p;
    }

    private void result(Project p, String nodeId, TestOutcome outcome, double duration, String message) {
        results.computeIfAbsent(p.getId(), k -> new ArrayList<>()).add(new TestResultRecord(p, nodeId, outcome, duration,
                "w1", "10.0.0.5:41000", 1, message, T));
    }

    private void detailed(Project p, String nodeId, TestOutcome outcome, String message, TestDetails details) {
        results.computeIfAbsent(p.getId(), k -> new ArrayList<>()).add(new TestResultRecord(p, nodeId, outcome, 0.5,
                "w1", "10.0.0.5:41000", 1, message, T, details));
    }

    private static void setId(Object entity, Long id) throws Exception {
        Field f = entity.getClass().getDeclaredField("id");
        f.setAccessible(true);
        f.set(entity, id);
    }

    private static Document parse(String xml) throws Exception {
        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(JunitXmlTest.class.getResource("/junit/junit.xsd")).newValidator()
                .validate(new StreamSource(new StringReader(xml)));
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    /** Child elements, all or of one tag. */
    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && (tag == null || e.getTagName().equals(tag))) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element only(Element parent, String tag) {
        List<Element> all = children(parent, null);
        assertThat(all).extracting(Element::getTagName).containsExactly(tag);
        return all.get(0);
    }

    private static List<String> attrs(Element e, String... names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            out.add(e.getAttribute(n));
        }
        return out;
    }
}
