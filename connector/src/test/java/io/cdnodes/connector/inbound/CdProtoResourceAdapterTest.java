package io.cdnodes.connector.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.resource.spi.ResourceAdapterInternalException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What fails the adapter's deployment, saying why, instead of letting it listen unsafely. */
class CdProtoResourceAdapterTest {

    @TempDir
    Path tmp;

    @Test
    void withoutAWorkerTokenTheAdapterDoesNotStart() {
        assertThatThrownBy(() -> new CdProtoResourceAdapter().start(Map.of("CDNODES_DATA_DIR", tmp.toString()),
                Instant.now()))
                .isInstanceOf(ResourceAdapterInternalException.class)
                .hasMessageStartingWith("CD Nodes connector configuration: no worker token: set CDNODES_WORKER_TOKEN");
        assertThat(tmp.resolve("tls")).as("nothing was made").doesNotExist();
    }

    @Test
    void aStartWithATokenHasItsCertificateAndPublishesItsFingerprint() throws Exception {
        new CdProtoResourceAdapter().start(Map.of("CDNODES_DATA_DIR", tmp.toString(), "CDNODES_WORKER_TOKEN", "t"),
                Instant.now());

        assertThat(Files.readString(tmp.resolve("tls/cdproto.sha256"))).matches("[0-9a-f]{64}\n");
    }

    @Test
    void aStartToldThatNoTokenAndNoTlsAreMeantStartsWithoutEither() throws Exception {
        new CdProtoResourceAdapter().start(Map.of("CDNODES_DATA_DIR", tmp.toString(),
                "CDNODES_INSECURE_NO_WORKER_TOKEN", "true", "CDNODES_PROTO_TLS", "false"), Instant.now());

        assertThat(tmp.resolve("tls")).doesNotExist();
    }

    @Test
    void aKeystoreThatCannotBeReadFailsTheStart() {
        assertThatThrownBy(() -> new CdProtoResourceAdapter().start(Map.of("CDNODES_DATA_DIR", tmp.toString(),
                "CDNODES_WORKER_TOKEN", "t", "CDNODES_TLS_KEYSTORE", tmp.resolve("none.p12").toString(),
                "CDNODES_TLS_KEYSTORE_PASSWORD", "x"), Instant.now()))
                .isInstanceOf(ResourceAdapterInternalException.class)
                .hasMessageStartingWith("CD Nodes connector: no TLS certificate for CDProto: CDNODES_TLS_KEYSTORE "
                        + tmp.resolve("none.p12"));
    }
}
