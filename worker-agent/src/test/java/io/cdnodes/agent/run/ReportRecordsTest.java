package io.cdnodes.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentKind;
import io.cdnodes.protocol.frame.Collected;
import io.cdnodes.protocol.frame.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plugin's records as frames, and the bounds on what a collection may report. */
class ReportRecordsTest {

    private final List<Frame> sent = new ArrayList<>();
    private final ReportRecords records = new ReportRecords(new Assign(7, 1, 1, 1, "a".repeat(64), AssignmentKind.COLLECT,
            List.of(), Map.of(), List.of(), 60), sent::add);

    private static String collected(int from, int count) {
        StringBuilder ids = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            ids.append(i == from ? "" : ",").append("\"t.py::test_").append(i).append('"');
        }
        return "{\"type\":\"collected\",\"nodeids\":[" + ids + "]}";
    }

    @Test
    void collectedIdsAreKeptAndSentInOrder() throws Exception {
        records.forward(List.of(collected(0, 3), collected(3, 2)));
        records.sendCollected();

        assertThat(records.overflowed()).isFalse();
        assertThat(sent).singleElement().isInstanceOfSatisfying(Collected.class, c -> assertThat(c.nodeIds())
                .containsExactly("t.py::test_0", "t.py::test_1", "t.py::test_2", "t.py::test_3", "t.py::test_4"));
    }

    @Test
    void aCollectionPastTheCountBoundIsDroppedWholeNotCut() throws Exception {
        int chunk = 50_000;
        for (int from = 0; from <= ReportRecords.MAX_COLLECTED; from += chunk) {
            records.forward(List.of(collected(from, chunk)));
        }

        assertThat(records.overflowed()).isTrue();
        assertThat(records.collectedCount()).isZero();
        assertThat(ReportRecords.overflowReason()).contains("1000000 node ids");
    }
}
