package io.cdnodes.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * JUnit XML read back by test case: pytest's own {@code --junitxml} as the oracle of each test's report, and CD Nodes'
 * {@code junit.xml}, validated against the common JUnit schema the coordinator's unit tests use.
 */
public final class PytestJunit {

    private PytestJunit() {
    }

    /** One test case: its failure, error or skip element (null when it passed) and its captured output. */
    public record Case(String outcomeElement, String message, String text, String stdout, String stderr,
                       Map<String, String> properties) {
    }

    /**
     * pytest's own JUnit XML for the project (run in a fresh copy, as {@link PytestOracle} runs it) with
     * {@code junit_logging=out-err}, by (classname, name).
     */
    public static Map<String, Case> ofPlainPytest(Path project, List<String> args) throws Exception {
        Path xml = Paths.work("junit-").resolve("pytest.xml");
        List<String> all = new ArrayList<>(List.of("--junitxml=" + xml, "-o", "junit_logging=out-err"));
        all.addAll(args);
        PytestOracle.run(project, all, Map.of(), Python.executable());
        return cases(Files.readString(xml));
    }

    /** CD Nodes' JUnit XML, checked against {@code ejb/src/test/resources/junit/junit.xsd} first. */
    public static Map<String, Case> ofCdNodes(String xml) throws Exception {
        Path xsd = Path.of(System.getProperty("cdnodes.root", "..")).resolve("ejb/src/test/resources/junit/junit.xsd");
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(xsd.toFile()).newValidator()
                .validate(new StreamSource(new StringReader(xml)));
        return cases(xml);
    }

    /** The key of a node id's case: classname and name as pytest's junitxml derives them. */
    public static String key(String nodeId) {
        int bracket = nodeId.indexOf('[');
        String path = bracket < 0 ? nodeId : nodeId.substring(0, bracket);
        String params = bracket < 0 ? "" : nodeId.substring(bracket);
        String[] parts = path.split("::", -1);
        String module = parts[0].replace('/', '.');
        parts[0] = module.endsWith(".py") ? module.substring(0, module.length() - 3) : module;
        parts[parts.length - 1] += params;
        return String.join(".", java.util.Arrays.asList(parts).subList(0, parts.length - 1)) + " "
                + parts[parts.length - 1];
    }

    private static Map<String, Case> cases(String xml) throws Exception {
        NodeList cases = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(xml))).getElementsByTagName("testcase");
        Map<String, Case> out = new HashMap<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            Element outcome = first(c, "failure", "error", "skipped");
            Map<String, String> properties = new HashMap<>();
            Element props = first(c, "properties");
            if (props != null) {
                NodeList ps = props.getElementsByTagName("property");
                for (int j = 0; j < ps.getLength(); j++) {
                    Element p = (Element) ps.item(j);
                    properties.put(p.getAttribute("name"), p.getAttribute("value"));
                }
            }
            Case previous = out.put(c.getAttribute("classname") + " " + c.getAttribute("name"), new Case(
                    outcome == null ? null : outcome.getTagName(), outcome == null ? null : outcome.getAttribute("message"),
                    outcome == null ? null : outcome.getTextContent(), captured(first(c, "system-out")),
                    captured(first(c, "system-err")), properties));
            assertThat(previous).as("one testcase per node").isNull();
        }
        return out;
    }

    private static Element first(Element parent, String... tags) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && List.of(tags).contains(e.getTagName())) {
                return e;
            }
        }
        return null;
    }

    /** What was captured, without the banner pytest's junitxml wraps it in ({@code ---- Captured Out ----}). */
    private static String captured(Element e) {
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
