package io.cdnodes.coordinator.fetchpolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The policy against a resolver the test controls: every address of a host is checked, a listed host is
 * not, a name that does not resolve is refused like a private one, and the token goes only over https or to
 * a listed host.
 */
class FetchPolicyTest {

    private final List<String> asked = new ArrayList<>();

    private final Map<String, String[]> dns = Map.of(
            "git.example.com", new String[]{"140.82.112.3", "2606:50c0:8000::153"},
            "split.example.com", new String[]{"140.82.112.3", "10.0.0.7"},
            "six.example.com", new String[]{"2606:50c0:8000::153", "::1"},
            "mapped.example.com", new String[]{"140.82.112.3", "::ffff:169.254.169.254"},
            "intranet.corp", new String[]{"10.1.2.3"},
            "git.corp", new String[]{"10.1.2.4"},
            "localhost", new String[]{"127.0.0.1", "::1"});

    private final FetchPolicy policy = new FetchPolicy(AllowedHosts.parse("git.corp, 127.0.0.1:8089"), FileRoots.NONE,
            host -> {
                asked.add(host);
                String[] answer = dns.get(host);
                if (answer == null) {
                    if (host.matches("[0-9a-fA-F:.]+")) {
                        return new InetAddress[]{InetAddress.getByName(host)};
                    }
                    throw new UnknownHostException(host);
                }
                InetAddress[] out = new InetAddress[answer.length];
                for (int i = 0; i < answer.length; i++) {
                    out[i] = InetAddress.getByName(answer[i]);
                }
                return out;
            });

    @Test
    void aHostWhoseAddressesAreAllPublicMayBeFetchedFromThoseAddresses() throws Exception {
        assertThat(policy.addresses("git.example.com", 443)).extracting(InetAddress::getHostAddress)
                .containsExactly("140.82.112.3", "2606:50c0:8000:0:0:0:0:153");
        assertThat(policy.addresses("140.82.112.3", 80)).hasSize(1);
        assertThat(policy.addresses("[2606:50c0:8000::153]", 443)).hasSize(1);
    }

    @Test
    void oneNonPublicAddressAmongPublicOnesRefusesTheHost() {
        assertThatThrownBy(() -> policy.addresses("split.example.com", 443)).isInstanceOf(FetchPolicy.Refused.class)
                .hasMessage("host split.example.com port 443 resolves to 10.0.0.7, private (10.0.0.0/8), and is not in "
                        + "CDNODES_FETCH_ALLOW_HOSTS");
        assertThatThrownBy(() -> policy.addresses("six.example.com", 443)).isInstanceOf(FetchPolicy.Refused.class)
                .hasMessageContaining("loopback (::1)");
        assertThatThrownBy(() -> policy.addresses("mapped.example.com", 443)).isInstanceOf(FetchPolicy.Refused.class)
                .hasMessageContaining("link-local");
    }

    @Test
    void loopbackAndPrivateHostsAreRefusedHoweverTheyAreWritten() {
        for (String host : List.of("localhost", "127.0.0.1", "127.0.0.2", "[::1]", "::1", "0.0.0.0", "[::]",
                "[::ffff:127.0.0.1]", "169.254.169.254", "intranet.corp", "[fd00::1]", "[64:ff9b::7f00:1]")) {
            assertThatThrownBy(() -> policy.addresses(host, 80)).as(host).isInstanceOf(FetchPolicy.Refused.class);
        }
    }

    @Test
    void aHostThatDoesNotResolveIsRefusedLikeAPrivateOne() {
        assertThatThrownBy(() -> policy.addresses("nowhere.corp", 443)).isInstanceOf(FetchPolicy.Refused.class)
                .hasMessage("host nowhere.corp does not resolve");
        assertThatThrownBy(() -> policy.addresses("", 443)).isInstanceOf(FetchPolicy.Refused.class);
        assertThatThrownBy(() -> policy.addresses(null, 443)).isInstanceOf(FetchPolicy.Refused.class);
    }

    @Test
    void aListedHostIsNotCheckedOnItsListedPortOnly() throws Exception {
        assertThat(policy.addresses("git.corp", 443)).extracting(InetAddress::getHostAddress).containsExactly("10.1.2.4");
        assertThat(policy.addresses("127.0.0.1", 8089)).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.1");
        assertThatThrownBy(() -> policy.addresses("127.0.0.1", 8090)).isInstanceOf(FetchPolicy.Refused.class);
        assertThatThrownBy(() -> policy.addresses("localhost", 8089)).isInstanceOf(FetchPolicy.Refused.class);
    }

    @Test
    void aListedHostThatDoesNotResolveSaysSo() {
        FetchPolicy p = new FetchPolicy(AllowedHosts.parse("gone.corp"), FileRoots.NONE, h -> {
            throw new UnknownHostException(h);
        });
        assertThatThrownBy(() -> p.addresses("gone.corp", 443)).isInstanceOf(UnknownHostException.class)
                .isNotInstanceOf(FetchPolicy.Refused.class);
    }

    @Test
    void everyCheckAsksTheResolverAgainSoAChangedAnswerIsSeen() throws Exception {
        String[] answer = {"140.82.112.3"};
        FetchPolicy p = new FetchPolicy(AllowedHosts.NONE, FileRoots.NONE,
                h -> new InetAddress[]{InetAddress.getByName(answer[0])});
        assertThat(p.addresses("rebind.example.com", 443)).hasSize(1);
        answer[0] = "127.0.0.1";
        assertThatThrownBy(() -> p.addresses("rebind.example.com", 443)).isInstanceOf(FetchPolicy.Refused.class);
    }

    @Test
    void checkUsesTheUrlsPortOrItsSchemesDefault() throws Exception {
        policy.check(URI.create("http://127.0.0.1:8089/x"));
        assertThatThrownBy(() -> policy.check(URI.create("http://127.0.0.1/x"))).isInstanceOf(FetchPolicy.Refused.class);
        assertThat(FetchPolicy.port(URI.create("https://h/x"))).isEqualTo(443);
        assertThat(FetchPolicy.port(URI.create("http://h/x"))).isEqualTo(80);
        assertThat(FetchPolicy.port(URI.create("ssh://h/x"))).isEqualTo(22);
        assertThat(FetchPolicy.port(URI.create("HTTPS://h:8443/x"))).isEqualTo(8443);
    }

    @Test
    void theTokenGoesOverHttpsOrToAListedHostOnly() {
        assertThat(policy.mayCarryToken(URI.create("https://git.example.com/r.git"))).isTrue();
        assertThat(policy.mayCarryToken(URI.create("http://git.example.com/r.git"))).isFalse();
        assertThat(policy.mayCarryToken(URI.create("http://git.corp/r.git"))).isTrue();
        assertThat(policy.mayCarryToken(URI.create("http://127.0.0.1:8089/api"))).isTrue();
        assertThat(policy.mayCarryToken(URI.create("http://127.0.0.1:8090/api"))).isFalse();
        assertThat(asked).as("deciding about the token asks no DNS").isEmpty();
    }

    @Test
    void sameOriginComparesSchemeHostAndPort() {
        assertThat(FetchPolicy.sameOrigin(URI.create("https://api.github.com/x"), URI.create("https://API.github.com:443")))
                .isTrue();
        assertThat(FetchPolicy.sameOrigin(URI.create("https://codeload.github.com/x"), URI.create("https://api.github.com")))
                .isFalse();
        assertThat(FetchPolicy.sameOrigin(URI.create("http://api.github.com/x"), URI.create("https://api.github.com")))
                .isFalse();
        assertThat(FetchPolicy.sameOrigin(URI.create("http://127.0.0.1:81/x"), URI.create("http://127.0.0.1:80")))
                .isFalse();
    }
}
