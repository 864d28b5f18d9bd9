package io.cdnodes.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerTokenTest {

    @Test
    void matchesOnlyTheExactToken() {
        WorkerToken token = WorkerToken.of("Sécret-42");

        assertThat(token.matches("Sécret-42")).isTrue();
        assertThat(token.matches("Secret-42")).isFalse();
        assertThat(token.matches("Sécret-42\n")).isFalse();
        assertThat(token.matches("Sécret-4")).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches(null)).isFalse();
        assertThat(token.isOpen()).isFalse();
    }

    @Test
    void noneAcceptsEveryToken() {
        WorkerToken none = WorkerToken.none();

        assertThat(none.isOpen()).isTrue();
        assertThat(none.matches("")).isTrue();
        assertThat(none.matches(null)).isTrue();
        assertThat(none.matches("anything")).isTrue();
    }

    @Test
    void emptyTokenIsNotAToken() {
        assertThatThrownBy(() -> WorkerToken.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkerToken.of(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringNeverRevealsTheSecret() {
        String secret = "hunter2-very-secret";
        WorkerToken token = WorkerToken.of(secret);

        assertThat(token.toString()).doesNotContain(secret).doesNotContain("hunter").contains("redacted");
        // nor its digest: sha256("hunter2-very-secret") would let an attacker test guesses offline
        assertThat(token.toString()).doesNotContainPattern("[0-9a-f]{16}");
        assertThat(WorkerToken.none().toString()).contains("none");
    }

    @Test
    void timeoutsHaveTheDocumentedDefaultsAndRefuseNonsense() {
        SessionTimeouts d = SessionTimeouts.defaults();
        assertThat(d.handshake()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.idle()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.stalledFrame()).isEqualTo(Duration.ofSeconds(30));

        Duration s = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new SessionTimeouts(Duration.ZERO, s, s.multipliedBy(2), s))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionTimeouts(s, s, s, s)).as("idle below twice the interval")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionTimeouts(s, s, s.multipliedBy(2), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new SessionTimeouts(s, s, s.multipliedBy(2), s).idle()).isEqualTo(Duration.ofSeconds(2));
    }
}
