package io.cdnodes.protocol.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdnodes.protocol.pkg.UnsafeArchiveException.Rule;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnzipLimitsTest {

    @Test
    void defaults() {
        UnzipLimits d = UnzipLimits.defaults();

        assertThat(d.maxEntries()).isEqualTo(50_000);
        assertThat(d.maxEntryBytes()).isEqualTo(268_435_456L);
        assertThat(d.maxTotalBytes()).isEqualTo(1_073_741_824L);
        assertThat(d.maxRatio()).isEqualTo(200);
        assertThat(UnzipLimits.RATIO_FLOOR_BYTES).isEqualTo(1_048_576L);
    }

    @ParameterizedTest
    @CsvSource({"0,1,1,1", "1,0,1,1", "1,1,0,1", "1,1,1,0", "-1,1,1,1", "1,-5,1,1", "1,1,-5,1", "1,1,1,-1"})
    void everyLimitMustBePositive(int entries, long entryBytes, long totalBytes, int ratio) {
        assertThatThrownBy(() -> new UnzipLimits(entries, entryBytes, totalBytes, ratio))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unzip limits must be positive");
    }

    @Test
    void smallestLimitsAreAccepted() {
        assertThat(new UnzipLimits(1, 1, 1, 1)).isEqualTo(new UnzipLimits(1, 1, 1, 1));
    }

    @Test
    void exceptionCarriesRuleEntryAndMessage() {
        UnsafeArchiveException e = new UnsafeArchiveException(Rule.LINK, "p/link", "entry p/link is a link");

        assertThat(e).isInstanceOf(IOException.class).hasMessage("entry p/link is a link");
        assertThat(e.rule()).isEqualTo(Rule.LINK);
        assertThat(e.entry()).isEqualTo("p/link");
        assertThat(new UnsafeArchiveException(Rule.NOT_A_ZIP, null, "x").entry()).isNull();
    }
}
