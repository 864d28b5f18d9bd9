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
 * from the function and its parameters). Failed tests carry {@code <failure>}, errors {@code <error>},
 * skipped and xfailed tests {@code <skipped>}.
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
        if (p.getFailureReason() != null) {
            x.writeCharacters("\n    ");
            x.writeStartElement("system-err");
            x.writeCharacters(clean(p.getFailureReason()));
            x.writeEndElement();
        }
        for (TestResultRecord r : results) {
            testcase(x, r);
        }
        x.writeCharacters("\n  ");
        x.writeEndElement();
    }

    private static void testcase(XMLStreamWriter x, TestResultRecord r) throws XMLStreamException {
        String[] names = names(r.getNodeId());
        x.writeCharacters("\n    ");
        x.writeStartElement("testcase");
        x.writeAttribute("classname", clean(names[0]));
        x.writeAttribute("name", clean(names[1]));
        x.writeAttribute("file", clean(r.getModule()));
        x.writeAttribute("time", seconds(r.getDuration()));
        String message = r.getMessage() == null ? "" : clean(r.getMessage());
        String element = switch (r.getOutcome()) {
            case FAILED -> "failure";
            case ERROR -> "error";
            case SKIPPED, XFAILED -> "skipped";
            case PASSED, XPASSED -> null;
        };
        if (element != null) {
            x.writeStartElement(element);
            if (r.getOutcome() == TestOutcome.XFAILED) {
                x.writeAttribute("type", "pytest.xfail");
            }
            x.writeAttribute("message", firstLine(message));
            x.writeCharacters(message);
            x.writeEndElement();
        }
        x.writeEndElement();
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
