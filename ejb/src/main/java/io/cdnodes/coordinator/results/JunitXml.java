package io.cdnodes.coordinator.results;

import io.cdnodes.coordinator.evaluation.Evaluation;
import io.cdnodes.coordinator.evaluation.Project;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * An evaluation's results as JUnit XML: one {@code <testsuite>} per project, one {@code <testcase>} per node
 * id, named as pytest's own {@code --junitxml} names them (classname from the module path and class, name
 * from the function and its parameters). Failed tests carry {@code <failure>}, errors {@code <error>} (the
 * failing phase in its message), skipped and xfailed tests {@code <skipped>} (the reason as its message), each with
 * pytest's failure text inside; captured stdout (and log records, under pytest's "Captured Log" banner) in
 * {@code <system-out>}, stderr in {@code <system-err>}, recorded properties in the testcase's {@code <properties>}
 * (pytest's xunit1 family writes them there too). It validates against the common JUnit schema
 * ({@code JunitXmlSchemaTest}).
 */
public final class JunitXml {

    private JunitXml() {
    }

    public static String write(Evaluation evaluation, Map<Long, List<TestResultRecord>> resultsByProject) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeAttribute("name", "cdnodes evaluation " + evaluation.getId());
            for (Project p : evaluation.getProjects()) {
                suite(x, p, resultsByProject.getOrDefault(p.getId(), List.of()));
            }
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing JUnit XML failed", e);
        }
        return out.toString();
    }

    private static void suite(XMLStreamWriter x, Project p, List<TestResultRecord> results) throws XMLStreamException {
        Tally t = Tally.EMPTY;
        double time = 0;
        for (TestResultRecord r : results) {
            t = t.plus(r.getOutcome(), 1);
            time += r.getDuration();
        }
        x.writeCharacters("\n  ");
        x.writeStartElement("testsuite");
        x.writeAttribute("name", clean(p.getName()));
        x.writeAttribute("tests", Long.toString(t.executed()));
        x.writeAttribute("failures", Long.toString(t.failed()));
        x.writeAttribute("errors", Long.toString(t.error()));
        x.writeAttribute("skipped", Long.toString(t.skipped() + t.xfailed()));
        x.writeAttribute("time", seconds(time));
        for (TestResultRecord r : results) {
            testcase(x, r);
        }
        if (p.getFailureReason() != null) {
            // why the project failed as a whole (its package, its collection): after the testcases, as the schema has it
            x.writeCharacters("\n    ");
            text(x, "system-err", p.getFailureReason());
        }
        x.writeCharacters("\n  ");
        x.writeEndElement();
    }

    private static void testcase(XMLStreamWriter x, TestResultRecord r) throws XMLStreamException {
        String[] names = names(r.getNodeId());
        TestDetails d = r.getDetails();
        x.writeCharacters("\n    ");
        x.writeStartElement("testcase");
        x.writeAttribute("classname", clean(names[0]));
        x.writeAttribute("name", clean(names[1]));
        x.writeAttribute("file", clean(r.getModule()));
        x.writeAttribute("time", seconds(r.getDuration()));
        if (!d.properties().isEmpty()) {
            x.writeStartElement("properties");
            for (Map.Entry<String, String> p : d.properties().entrySet()) {
                x.writeEmptyElement("property");
                x.writeAttribute("name", clean(p.getKey()));
                x.writeAttribute("value", clean(p.getValue()));
            }
            x.writeEndElement();
        }
        String message = r.getMessage() == null ? "" : r.getMessage();
        switch (r.getOutcome()) {
            case FAILED -> outcome(x, "failure", null, message, d.longrepr() != null ? d.longrepr() : message);
            case ERROR -> outcome(x, "error", null, d.phase() == null ? message
                    : "failed on " + d.phase() + ": " + message, d.longrepr() != null ? d.longrepr() : message);
            case SKIPPED -> outcome(x, "skipped", "pytest.skip", d.reason() != null ? d.reason() : message, message);
            case XFAILED -> outcome(x, "skipped", "pytest.xfail", d.reason() != null ? d.reason() : message, "");
            case PASSED, XPASSED -> { }
        }
        String out = d.log() == null ? d.stdout() : (d.stdout() == null ? "" : d.stdout())
                + banner("Captured Log") + d.log();
        if (out != null && !out.isEmpty()) {
            text(x, "system-out", out);
        }
        if (d.stderr() != null && !d.stderr().isEmpty()) {
            text(x, "system-err", d.stderr());
        }
        x.writeEndElement();
    }

    /** A {@code <failure>}, {@code <error>} or {@code <skipped>}: its message in one line, the whole text inside. */
    private static void outcome(XMLStreamWriter x, String element, String type, String message, String body)
            throws XMLStreamException {
        x.writeStartElement(element);
        if (type != null) {
            x.writeAttribute("type", type);
        }
        x.writeAttribute("message", firstLine(clean(message)));
        x.writeCharacters(clean(body));
        x.writeEndElement();
    }

    private static void text(XMLStreamWriter x, String element, String text) throws XMLStreamException {
        x.writeStartElement(element);
        x.writeCharacters(clean(text));
        x.writeEndElement();
    }

    /** A section title as pytest's junitxml centres it. */
    private static String banner(String title) {
        String t = " " + title + " ";
        int left = (80 - t.length()) / 2;
        return "\n" + "-".repeat(left) + t + "-".repeat(80 - t.length() - left) + "\n";
    }

    /**
     * classname and name as pytest's junitxml derives them from a node id ({@code mangle_test_address}): the
     * parameters, from the first '[', stay whole even when they hold "::" or '/'; a node id without "::" (a
     * collection error) has an empty classname and the dotted module as its name.
     */
    static String[] names(String nodeId) {
        int bracket = nodeId.indexOf('[');
        String path = bracket < 0 ? nodeId : nodeId.substring(0, bracket);
        String params = bracket < 0 ? "" : nodeId.substring(bracket);
        String[] parts = path.split("::", -1);
        String module = parts[0].replace('/', '.');
        parts[0] = module.endsWith(".py") ? module.substring(0, module.length() - 3) : module;
        parts[parts.length - 1] += params;
        String classname = String.join(".", java.util.Arrays.asList(parts).subList(0, parts.length - 1));
        return new String[] {classname, parts[parts.length - 1]};
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 500 ? line.substring(0, 500) + "…" : line;
    }

    /** Replaces characters XML 1.0 cannot carry (in text and attributes alike: project names come from zips). */
    private static String clean(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            boolean ok = cp == 0x9 || cp == 0xA || cp == 0xD || cp >= 0x20 && cp <= 0xD7FF
                    || cp >= 0xE000 && cp <= 0xFFFD || cp >= 0x10000 && cp <= 0x10FFFF;
            sb.appendCodePoint(ok ? cp : '?');
        });
        return sb.toString();
    }
}
