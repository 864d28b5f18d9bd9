package io.cdnodes.connector.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The thread pool the coordinator's domain resources make for the adapter holds what the most connections it admits
 * by default need: a reader and a writer each, admitted or pending, and an accept loop per listener.
 */
class ThreadPoolSizeTest {

    private static final Path COMMANDS = Path.of("..", "web", "src", "main", "payara", "post-boot-commands.asadmin");

    @Test
    void thePoolHoldsTwoThreadsPerConnectionAdmittedAndOnePerListener() throws IOException {
        Matcher size = Pattern.compile("(?m)^create-threadpool .*--maxthreadpoolsize=(\\d+) .*cdproto-thread-pool$")
                .matcher(Files.readString(COMMANDS));

        assertThat(size.find()).as("the pool in %s", COMMANDS).isTrue();
        assertThat(Integer.parseInt(size.group(1))).isEqualTo(2 * (ConnectorSettings.DEFAULT_MAX_CONNECTIONS
                + ConnectorSettings.DEFAULT_MAX_PENDING_CONNECTIONS) + 2);
    }
}
