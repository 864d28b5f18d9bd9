package io.cdnodes.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.protocol.codec.CodecLimits;
import io.cdnodes.protocol.frame.Hello;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class HelloSizeTest {

    private static final Function<List<String>, Hello> MAKE = ids -> new Hello(1, "worker-ü".repeat(20), 4,
            "Python 3.11.2", "9.0.1", "t0ken-".repeat(10), ids);

    private static List<String> ids(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(HexFormat.of().toHexDigits((long) i).repeat(4));
        }
        return out;
    }

    @Test
    void aHelloThatFitsIsSentWhole() {
        List<String> few = ids(30);

        assertThat(HelloSize.fit(few, MAKE).cachedPackages()).isEqualTo(few);
    }

    @Test
    void theLeastRecentlyUsedIdsAreLeftOutUntilTheHelloFitsTheLimit() {
        List<String> many = ids(500);

        Hello hello = HelloSize.fit(many, MAKE);

        assertThat(HelloSize.payloadBytes(hello)).isLessThanOrEqualTo(CodecLimits.DEFAULT_MAX_HELLO_BYTES)
                .isGreaterThan(CodecLimits.DEFAULT_MAX_HELLO_BYTES - 68);
        int kept = hello.cachedPackages().size();
        assertThat(kept).isBetween(100, 120);
        assertThat(hello.cachedPackages()).isEqualTo(many.subList(500 - kept, 500));
    }

    @Test
    void theLimitIsTheOneGivenAndNothingIsLeftWhenNothingFits() {
        assertThat(HelloSize.payloadBytes(HelloSize.fit(ids(100), MAKE, 2000))).isLessThanOrEqualTo(2000);
        assertThat(HelloSize.fit(ids(100), MAKE, 10).cachedPackages()).isEmpty();
    }
}
