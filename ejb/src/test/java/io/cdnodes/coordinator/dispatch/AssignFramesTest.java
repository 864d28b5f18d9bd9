package io.cdnodes.coordinator.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.protocol.frame.Assign;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssignFramesTest {

    @Test
    void theRunOptionsTravelAsAssignDirectives() {
        assertThat(Outbox.directives(RunOptions.none(), 500)).isEqualTo(Map.of(Assign.REPORT_CHARS, "500"));
        assertThat(Outbox.directives(new RunOptions(List.of(), Map.of(), true, RunOptions.DYNAMIC, RunOptions.AUTO,
                true), 500)).isEqualTo(Map.of(Assign.INSTALL_DEPS, "true", Assign.NETWORK, "true",
                Assign.REPORT_CHARS, "500"));
        assertThat(Outbox.directives(new RunOptions(List.of(), Map.of(), false, RunOptions.DYNAMIC, RunOptions.AUTO,
                true), 32768)).isEqualTo(Map.of(Assign.NETWORK, "true", Assign.REPORT_CHARS, "32768"));
    }
}
