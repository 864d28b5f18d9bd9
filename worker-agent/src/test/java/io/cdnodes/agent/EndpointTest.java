package io.cdnodes.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tcp://127.0.0.1:7000     | 127.0.0.1   | 7000",
        "  tcp://coord.lan:1  \t  | coord.lan   | 1",
        "tcp://[::1]:65535        | ::1         | 65535",
        "tcp://[fe80::1%eth0]:700 | fe80::1%eth0 | 700",
    })
    void tcpAddressesAreParsedIntoHostAndPort(String text, String host, int port) {
        assertThat(Endpoint.parse(text)).isEqualTo(new Endpoint.Tcp(host, port));
    }

    @Test
    void unixPathsAreMadeAbsolute() {
        assertThat(Endpoint.parse("unix:/run/cd/cdproto.sock"))
                .isEqualTo(new Endpoint.Unix(Path.of("/run/cd/cdproto.sock")));
        assertThat(Endpoint.parse("unix:///run/cd/cdproto.sock"))
                .isEqualTo(new Endpoint.Unix(Path.of("/run/cd/cdproto.sock")));
        assertThat(Endpoint.parse("unix:data/cdproto.sock"))
                .isEqualTo(new Endpoint.Unix(Path.of("data/cdproto.sock").toAbsolutePath()));
    }

    @Test
    void anEndpointPrintsAsItIsWritten() {
        assertThat(Endpoint.parse("tcp://10.0.0.5:7000")).hasToString("tcp://10.0.0.5:7000");
        assertThat(Endpoint.parse("unix:/tmp/s.sock")).hasToString("unix:/tmp/s.sock");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "NULL                 | no coordinator given (tcp://HOST:PORT or unix:PATH)",
        "'   '                | no coordinator given (tcp://HOST:PORT or unix:PATH)",
        "unix:                | 'unix: needs a socket path: unix:'",
        "unix://              | 'unix: needs a socket path: unix://'",
        "tcp://host           | tcp:// needs HOST:PORT: tcp://host",
        "tcp://host:          | tcp:// needs HOST:PORT: tcp://host:",
        "tcp://:7000          | tcp:// needs HOST:PORT: tcp://:7000",
        "tcp://host:seven     | not a port number in tcp://host:seven",
        "tcp://host:0         | port out of range in tcp://host:0",
        "tcp://host:65536     | port out of range in tcp://host:65536",
        "http://host:7000     | unknown coordinator address http://host:7000 (use tcp://HOST:PORT or unix:PATH)",
        "127.0.0.1:7000       | unknown coordinator address 127.0.0.1:7000 (use tcp://HOST:PORT or unix:PATH)",
    })
    void anythingElseIsRefusedWithAMessageForTheUser(String text, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> Endpoint.parse(text)).withMessage(message);
    }
}
