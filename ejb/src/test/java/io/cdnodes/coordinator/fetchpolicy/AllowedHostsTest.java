package io.cdnodes.coordinator.fetchpolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin's list of hosts: its forms, what each entry matches, and what it never matches. */
class AllowedHostsTest {

    @Test
    void entriesAreSeparatedByCommasOrSpacesAndKeptInCanonicalForm() {
        AllowedHosts h = AllowedHosts.parse(" Git.Corp.Example., 10.0.0.5:8443  [FD00::5]:443 fd00::6\n127.0.0.1:1 ");
        assertThat(h.entries()).containsExactly(new AllowedHosts.Entry("git.corp.example", -1),
                new AllowedHosts.Entry("10.0.0.5", 8443), new AllowedHosts.Entry("fd00:0:0:0:0:0:0:5", 443),
                new AllowedHosts.Entry("fd00:0:0:0:0:0:0:6", -1), new AllowedHosts.Entry("127.0.0.1", 1));
        assertThat(h.toString()).isEqualTo("[git.corp.example, 10.0.0.5:8443, [fd00:0:0:0:0:0:0:5]:443, "
                + "[fd00:0:0:0:0:0:0:6], 127.0.0.1:1]");
    }

    @Test
    void nothingIsListedByDefault() {
        assertThat(AllowedHosts.parse(null)).isEqualTo(AllowedHosts.NONE);
        assertThat(AllowedHosts.parse("  ")).isEqualTo(AllowedHosts.NONE);
        assertThat(AllowedHosts.NONE.allows("localhost", 80)).isFalse();
        assertThat(AllowedHosts.NONE.allows("127.0.0.1", 80)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // entry                | host as a URL gives it | port | allowed
            "git.corp.example       | git.corp.example       | 443  | true",
            "git.corp.example       | GIT.Corp.Example.      | 8080 | true",
            "git.corp.example       | corp.example           | 443  | false",
            "git.corp.example       | evil-git.corp.example  | 443  | false",
            "git.corp.example       | git.corp.example.evil  | 443  | false",
            "git.corp.example:8443  | git.corp.example       | 8443 | true",
            "git.corp.example:8443  | git.corp.example       | 443  | false",
            "127.0.0.1:8089         | 127.0.0.1              | 8089 | true",
            "127.0.0.1:8089         | 127.0.0.1              | 8090 | false",
            "127.0.0.1:8089         | localhost              | 8089 | false",
            "127.0.0.1:8089         | 127.0.0.2              | 8089 | false",
            "127.0.0.1:8089         | 127.1                  | 8089 | false",
            "127.0.0.1:8089         | 2130706433             | 8089 | false",
            "127.0.0.1:8089         | [::ffff:127.0.0.1]     | 8089 | true",
            "localhost              | localhost              | 1    | true",
            "localhost              | 127.0.0.1              | 1    | false",
            "[::1]:8089             | [::1]                  | 8089 | true",
            "[::1]:8089             | [0:0:0:0:0:0:0:1]      | 8089 | true",
            "[::1]:8089             | ::1                    | 8089 | true",
            "[::1]:8089             | [::1]                  | 80   | false",
            "::1                    | [::1]                  | 80   | true",
            "fd00::5                | [fd00:0::5]            | 22   | true",
            "fd00::5                | [fd00::6]              | 22   | false",
    })
    void anEntryMatchesItsHostWrittenAnyWayAndItsPortOnly(String entry, String host, int port, boolean allowed) {
        assertThat(AllowedHosts.parse(entry).allows(host, port)).as(entry + " allows " + host + ":" + port)
                .isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "*.corp.example         | wildcards",
            "git.corp.example:0     | port must be",
            "git.corp.example:65536 | port must be",
            "git.corp.example:x     | port must be",
            "git.corp.example:      | port must be",
            "[git.corp.example]:443 | only an IPv6 address",
            "[::1]:                 | port must be",
            "http://git.corp.example | not a host name",
            "git/corp               | not a host name",
            "-git.corp.example      | not a host name",
            "127.1                  | not a host name",
            "300.1.1.1              | not a host name",
            "fe80::1%eth0           | not a host name",
            "user@host              | not a host name",
    })
    void aBadEntryStopsTheStartNamingTheVariable(String entry, String why) {
        assertThatThrownBy(() -> AllowedHosts.parse("ok.example, " + entry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("CDNODES_FETCH_ALLOW_HOSTS: '" + entry.strip() + "'")
                .hasMessageContaining(why);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[", "[]", "a..b", "-", "1.2.3.4.5"})
    void hostsThatAreNeitherNamesNorAddressesMatchNothing(String host) {
        assertThat(AllowedHosts.canonical(host)).isNull();
        assertThat(new AllowedHosts(List.of(new AllowedHosts.Entry("a..b", -1))).allows(host, 80)).isFalse();
    }
}
