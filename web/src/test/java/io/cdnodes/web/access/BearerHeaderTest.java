package io.cdnodes.web.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BearerHeaderTest {

    private static final String KEY = "cdn_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    @Test
    void noHeaderIsMissing() {
        assertThat(BearerHeader.parse(null)).isInstanceOf(BearerHeader.Missing.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer ", "bearer ", "BEARER ", "Bearer   ", " Bearer "})
    void theSchemeInAnyCaseThenTheToken(String prefix) {
        assertThat(BearerHeader.parse(prefix + KEY + " ")).isEqualTo(new BearerHeader.Token(KEY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer", "Bearer ", "Basic dXNlcjpwdw==", "Token " + KEY, KEY, "Bearer " + KEY + " x",
            "Bearer\t" + KEY, "Bearer " + KEY + "\u00e9", "Bearer a\u0000b", "Bearer:" + KEY})
    void anythingElseIsMalformed(String header) {
        assertThat(BearerHeader.parse(header)).isInstanceOf(BearerHeader.Malformed.class);
    }

    @Test
    void tokensAreBounded() {
        assertThat(BearerHeader.parse("Bearer " + "a".repeat(BearerHeader.MAX_TOKEN)))
                .isInstanceOf(BearerHeader.Token.class);
        assertThat(BearerHeader.parse("Bearer " + "a".repeat(BearerHeader.MAX_TOKEN + 1)))
                .isInstanceOf(BearerHeader.Malformed.class);
    }

    @Test
    void printingATokenShowsOnlyItsLength() {
        assertThat(BearerHeader.parse("Bearer " + KEY).toString()).doesNotContain(KEY).contains("64");
    }
}
