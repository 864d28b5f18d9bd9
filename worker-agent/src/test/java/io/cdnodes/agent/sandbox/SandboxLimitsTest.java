package io.cdnodes.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxLimitsTest {

    private static final String LIMITS = """
            Limit                     Soft Limit           Hard Limit           Units
            Max cpu time              unlimited            unlimited            seconds
            Max file size             unlimited            unlimited            bytes
            Max processes             63338                2000                 processes
            Max open files            1024                 2048                 files
            Max address space         unlimited            unlimited            bytes
            """;

    @TempDir
    Path tmp;

    @Test
    void noLimitIsAboveWhatTheAgentItselfMayHave() throws Exception {
        Path limits = Files.writeString(tmp.resolve("limits"), LIMITS);

        SandboxLimits within = new SandboxLimits(4096, 4096, 1 << 30, 0).within(limits);

        assertThat(within).isEqualTo(new SandboxLimits(2000, 2048, 1 << 30, 0));
        assertThat(new SandboxLimits(100, 0, 5, 6).within(limits)).as("0 takes the agent's own hard limit")
                .isEqualTo(new SandboxLimits(100, 2048, 5, 6));
        assertThat(SandboxLimits.defaults().within(tmp.resolve("absent"))).isEqualTo(SandboxLimits.defaults());
    }

    @Test
    void negativeLimitsAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SandboxLimits(-1, 0, 0, 0));
    }

    @Test
    void theModeIsReadInAnyCaseAndNothingElse() {
        assertThat(SandboxMode.parse(" Required ")).isEqualTo(SandboxMode.REQUIRED);
        assertThatIllegalArgumentException().isThrownBy(() -> SandboxMode.parse("yes"))
                .withMessageContaining("auto, required or off");
    }
}
