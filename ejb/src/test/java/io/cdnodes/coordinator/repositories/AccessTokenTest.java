package io.cdnodes.coordinator.repositories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The token never shows: not in toString, not in scrubbed text, not in a scrubbed exception chain. */
class AccessTokenTest {

    private static final String SECRET = "ghp_s3cr3tS3cr3tS3cr3t";

    @Test
    void emptyOrMissingIsNone() {
        assertThat(AccessToken.of(null).present()).isFalse();
        assertThat(AccessToken.of("")).isSameAs(AccessToken.NONE);
        assertThat(AccessToken.NONE.toString()).isEqualTo("AccessToken[none]");
    }

    @Test
    void toStringNeverShowsIt() {
        AccessToken t = AccessToken.of(SECRET);
        assertThat(t.present()).isTrue();
        assertThat(t.toString()).doesNotContain(SECRET).contains("redacted");
        assertThat(new RepositorySubmission(java.util.List.of(), java.util.List.of(), t,
                io.cdnodes.coordinator.evaluation.RunOptions.none()).toString()).doesNotContain(SECRET);
    }

    @Test
    void scrubTakesItOutOfText() {
        AccessToken t = AccessToken.of(SECRET);
        assertThat(t.scrub("https://x-access-token:" + SECRET + "@host/r.git: " + SECRET + " refused"))
                .isEqualTo("https://x-access-token:[redacted]@host/r.git: [redacted] refused");
        assertThat(t.scrub(null)).isNull();
        assertThat(AccessToken.NONE.scrub("nothing to hide")).isEqualTo("nothing to hide");
    }

    @Test
    void scrubTakesItOutOfAnExceptionChainAndKeepsTheStack() {
        AccessToken t = AccessToken.of(SECRET);
        IllegalStateException original = new IllegalStateException("outer " + SECRET,
                new java.io.IOException("inner Bearer " + SECRET));
        Throwable scrubbed = t.scrubbed(original);

        StringWriter printed = new StringWriter();
        scrubbed.printStackTrace(new PrintWriter(printed));
        assertThat(printed.toString()).doesNotContain(SECRET)
                .contains("java.lang.IllegalStateException: outer [redacted]")
                .contains("java.io.IOException: inner Bearer [redacted]")
                .contains(AccessTokenTest.class.getName());
        assertThat(scrubbed.getStackTrace()).isEqualTo(original.getStackTrace());
    }

    @Test
    void refusesWhatAHeaderCannotCarryWithoutEchoingIt() {
        for (String bad : new String[] {"has space", "new\nline", "tab\t", "é-accent", "x".repeat(1025)}) {
            assertThatThrownBy(() -> AccessToken.of(bad)).isInstanceOf(IllegalArgumentException.class)
                    .message().doesNotContain(bad);
        }
        assertThat(AccessToken.of("x".repeat(1024)).present()).isTrue();
    }
}
