package io.cdnodes.agent.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.Collected;
import io.cdnodes.protocol.frame.Outcome;
import io.cdnodes.protocol.frame.TestResult;
import io.cdnodes.protocol.frame.TestStarted;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plugin's report records turned into one assignment's frames: {@code started} into TEST_STARTED,
 * {@code result} into TEST_RESULT as they come, {@code collected} node ids kept for COLLECTED frames at the
 * end. Records about the process itself ({@code ready}, {@code batch_done}) are handed back to the caller.
 */
final class ReportRecords {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int COLLECTED_BATCH_BYTES = 512 * 1024;

    private final Assign assign;
    private final PytestRun.FrameSink sink;
    /** The most node ids one collection may report, and the most characters they may hold together. */
    static final int MAX_COLLECTED = 1_000_000;
    static final long MAX_COLLECTED_CHARS = 64L << 20;

    private final List<String> collected = new ArrayList<>();
    private final List<String> scopes = new ArrayList<>();
    private long collectedChars;
    private boolean overflowed;

    ReportRecords(Assign assign, PytestRun.FrameSink sink) {
        this.assign = assign;
        this.sink = sink;
    }

    /** Sends what is for the coordinator; returns the other records, in order. */
    List<JsonNode> forward(List<String> lines) throws IOException {
        List<JsonNode> others = new ArrayList<>();
        for (String line : lines) {
            JsonNode n = parse(line);
            if (n == null) {
                continue;
            }
            String type = n.path("type").asText();
            if (type.equals("collected")) {
                JsonNode ids = n.path("nodeids");
                JsonNode shared = n.path("scopes");
                for (int i = 0; i < ids.size() && !overflowed; i++) {
                    keep(ids.get(i).asText(), shared.path(i).asText(""));
                }
            } else if (type.equals("started")) {
                sink.send(new TestStarted(assign.assignmentId(), assign.attempt(), n.path("nodeid").asText()));
            } else if (type.equals("result")) {
                Optional<Outcome> outcome = Outcome.fromWireName(n.path("outcome").asText());
                if (outcome.isPresent()) {
                    double d = n.path("duration").asDouble(0);
                    sink.send(new TestResult(assign.assignmentId(), assign.attempt(), n.path("nodeid").asText(),
                            outcome.get(), Double.isFinite(d) && d >= 0 ? d : 0, n.path("message").asText(""),
                            report(n.path("report"))));
                }
            } else {
                others.add(n);
            }
        }
        return others;
    }

    /**
     * A result record's report, bounded again here: the record file is written inside the sandbox, where the tests
     * could write to it too, and what is sent must fit a frame whatever they wrote.
     */
    private Map<String, String> report(JsonNode report) {
        if (!report.isObject()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        report.fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                out.put(e.getKey(), e.getValue().asText());
            }
        });
        return TestResult.Report.bounded(out, assign.reportChars());
    }

    /** The record, or null for a line that is not one of ours (cannot happen unless the file was tampered with). */
    static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    /** Keeps a collected node id, unless the collection is past its bounds: the agent's memory is not the project's. */
    private void keep(String id, String scope) {
        collectedChars += id.length() + scope.length();
        if (collected.size() >= MAX_COLLECTED || collectedChars > MAX_COLLECTED_CHARS) {
            overflowed = true;
            collected.clear();
            scopes.clear();
            return;
        }
        collected.add(id);
        scopes.add(scope);
    }

    /** Whether the collection reported more than a worker keeps; nothing of it is then sent. */
    boolean overflowed() {
        return overflowed;
    }

    /** Why a collection that {@link #overflowed()} fails. */
    static String overflowReason() {
        return "the collection reported more than " + MAX_COLLECTED + " node ids, or more than "
                + (MAX_COLLECTED_CHARS >> 20) + " Mi characters of them; a worker keeps no more";
    }

    /** How many node ids the {@code collected} records held so far. */
    int collectedCount() {
        return collected.size();
    }

    /** The collected node ids and their shared scopes, in COLLECTED frames of bounded size. */
    void sendCollected() throws IOException {
        List<String> batch = new ArrayList<>();
        List<String> batchScopes = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < collected.size(); i++) {
            batch.add(collected.get(i));
            batchScopes.add(scopes.get(i));
            bytes += (collected.get(i).length() + scopes.get(i).length()) * 3L + 8;
            if (bytes >= COLLECTED_BATCH_BYTES) {
                sink.send(new Collected(assign.assignmentId(), assign.attempt(), batch, batchScopes));
                batch = new ArrayList<>();
                batchScopes = new ArrayList<>();
                bytes = 0;
            }
        }
        if (!batch.isEmpty()) {
            sink.send(new Collected(assign.assignmentId(), assign.attempt(), batch, batchScopes));
        }
    }
}
